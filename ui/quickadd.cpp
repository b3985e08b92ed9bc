#include "quickadd.h"

#include "graph_model/layerregistry.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QGuiApplication>
#include <QScreen>
#include <QVBoxLayout>
#include <algorithm>

namespace nc::ui {

int fuzzyScore(const QString& query, const QString& candidate) {
    if (query.isEmpty())
        return 0;
    int score = 0, at = 0, run = 0;
    for (QChar q : query) {
        const int found = candidate.indexOf(q, at, Qt::CaseInsensitive);
        if (found < 0)
            return -1;
        run = found == at ? run + 1 : 1;
        score += 10 + 5 * run - (found - at); // consecutive letters and early matches score more
        if (found == 0 || candidate[found].isUpper())
            score += 8; // word starts
        at = found + 1;
    }
    return score - int(candidate.size()) / 4;
}

QuickAddPopup::QuickAddPopup(QWidget* parent)
    : QFrame(parent, Qt::Popup), m_search(new QLineEdit), m_list(new QListWidget) {
    setFrameStyle(QFrame::StyledPanel | QFrame::Raised);
    m_search->setPlaceholderText(tr("Add layer..."));
    m_search->installEventFilter(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    resize(240, 300);
    connect(m_search, &QLineEdit::textChanged, this, &QuickAddPopup::refill);
    connect(m_search, &QLineEdit::returnPressed, this, &QuickAddPopup::choose);
    connect(m_list, &QListWidget::itemActivated, this, &QuickAddPopup::choose);
    refill();
}

void QuickAddPopup::popup(QPoint globalPos, const QStringList& allowed) {
    m_allowed = allowed;
    m_search->clear();
    m_search->setPlaceholderText(allowed.isEmpty() ? tr("Add layer...")
                                                   : tr("Add a layer that fits (%1)...")
                                                         .arg(allowed.size()));
    refill();
    QPoint at = globalPos;
    if (const QScreen* screen = QGuiApplication::screenAt(globalPos)) {
        const QRect room = screen->availableGeometry();
        at.setX(std::clamp(at.x(), room.left(), std::max(room.left(), room.right() - width())));
        at.setY(std::clamp(at.y(), room.top(), std::max(room.top(), room.bottom() - height())));
    }
    move(at);
    show();
    m_search->setFocus();
}

void QuickAddPopup::setQuery(const QString& text) {
    m_search->setText(text);
}

QStringList QuickAddPopup::matches() const {
    QStringList types;
    for (int i = 0; i < m_list->count(); ++i)
        types << m_list->item(i)->text();
    return types;
}

void QuickAddPopup::refill() {
    std::vector<std::pair<int, QString>> ranked;
    for (const auto& spec : nc::graph::LayerRegistry::instance().specs()) {
        const QString type = QString::fromStdString(spec.type);
        if (!m_allowed.isEmpty() && !m_allowed.contains(type))
            continue;
        const int score = fuzzyScore(m_search->text(), type);
        if (score >= 0)
            ranked.emplace_back(score, type);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    m_list->clear();
    for (const auto& [score, type] : ranked)
        m_list->addItem(type);
    m_list->setCurrentRow(0);
}

void QuickAddPopup::choose() {
    if (QListWidgetItem* item = m_list->currentItem()) {
        hide();
        emit chosen(item->text());
    }
}

bool QuickAddPopup::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        // Every entry can be reached from the search field: arrows, pages, both ends.
        const int page = std::max(1, m_list->height() / std::max(1, m_list->sizeHintForRow(0)) - 1);
        int step = 0;
        switch (key->key()) {
        case Qt::Key_Down: step = 1; break;
        case Qt::Key_Up: step = -1; break;
        case Qt::Key_PageDown: step = page; break;
        case Qt::Key_PageUp: step = -page; break;
        default: break;
        }
        if (key->modifiers() & Qt::ControlModifier && key->key() == Qt::Key_End)
            step = m_list->count();
        if (key->modifiers() & Qt::ControlModifier && key->key() == Qt::Key_Home)
            step = -m_list->count();
        if (step != 0) {
            m_list->setCurrentRow(std::clamp(m_list->currentRow() + step, 0, m_list->count() - 1));
            m_list->scrollToItem(m_list->currentItem());
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            hide();
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace nc::ui
