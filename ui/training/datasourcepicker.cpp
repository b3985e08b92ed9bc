#include "datasourcepicker.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace nc::ui {

namespace {

struct Kind {
    const char* prefix;
    const char* label;
    bool onDisk;
    bool isFile;
};

const Kind kKinds[] = {
    {"synthetic:digits",
     QT_TRANSLATE_NOOP("DataSourcePicker", "Synthetic digits (1×28×28, 10 classes)"), false, false},
    {"synthetic:shapes",
     QT_TRANSLATE_NOOP("DataSourcePicker", "Synthetic shapes (3×64×64, 2 classes)"), false, false},
    {"mnist:", QT_TRANSLATE_NOOP("DataSourcePicker", "MNIST-format folder (IDX files)"), true,
     false},
    {"images:", QT_TRANSLATE_NOOP("DataSourcePicker", "Image folder (a subfolder per class)"), true,
     false},
    {"csv:", QT_TRANSLATE_NOOP("DataSourcePicker", "CSV file (features, then a label)"), true,
     true},
};

} // namespace

DataSourcePicker::DataSourcePicker(QWidget* parent)
    : QWidget(parent), m_kind(new QComboBox), m_path(new QLineEdit),
      m_browse(new QPushButton(tr("Browse..."))) {
    for (const Kind& k : kKinds)
        m_kind->addItem(tr(k.label), QString(k.prefix));
    m_path->setPlaceholderText(tr("Folder or file"));
    m_path->setClearButtonEnabled(true);
    auto* row = new QHBoxLayout;
    row->addWidget(m_path, 1);
    row->addWidget(m_browse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_kind);
    layout->addLayout(row);
    connect(m_kind, &QComboBox::activated, this, [this] {
        m_syntheticOptions.clear();
        updatePathField();
        if (!kKinds[m_kind->currentIndex()].onDisk || !m_path->text().isEmpty())
            emit specEdited(spec());
        else
            browse();
    });
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (m_path->isModified()) {
            m_path->setModified(false);
            emit specEdited(spec());
        }
    });
    connect(m_browse, &QPushButton::clicked, this, &DataSourcePicker::browse);
    updatePathField();
}

QString DataSourcePicker::spec() const {
    const Kind& k = kKinds[m_kind->currentIndex()];
    if (!k.onDisk)
        return QString(k.prefix) + m_syntheticOptions;
    return QString(k.prefix) + m_path->text().trimmed();
}

void DataSourcePicker::setSpec(const QString& spec) {
    for (int i = 0; i < int(std::size(kKinds)); ++i) {
        const QString prefix = kKinds[i].prefix;
        if (!spec.startsWith(prefix))
            continue;
        m_kind->setCurrentIndex(i);
        const QString rest = spec.mid(prefix.size());
        if (kKinds[i].onDisk) {
            m_path->setText(rest);
            m_syntheticOptions.clear();
        } else {
            m_syntheticOptions = rest;
        }
        updatePathField();
        return;
    }
    // A spec this picker does not know: shown as a path of the first on-disk kind would
    // mislead, so the text stays visible as it is.
    m_kind->setCurrentIndex(2);
    m_path->setText(spec);
    updatePathField();
}

void DataSourcePicker::updatePathField() {
    const bool onDisk = kKinds[m_kind->currentIndex()].onDisk;
    m_path->setEnabled(onDisk);
    m_browse->setEnabled(onDisk);
    if (!onDisk)
        m_path->clear();
}

void DataSourcePicker::browse() {
    const Kind& k = kKinds[m_kind->currentIndex()];
    const QString path =
        k.isFile
            ? QFileDialog::getOpenFileName(this, tr("Choose a CSV file"), m_path->text(),
                                           tr("CSV files (*.csv);;All files (*)"))
            : QFileDialog::getExistingDirectory(this, tr("Choose the data folder"), m_path->text());
    if (path.isEmpty())
        return;
    m_path->setText(path);
    emit specEdited(spec());
}

} // namespace nc::ui
