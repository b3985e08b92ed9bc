#pragma once
// The quick-add popup: a search field over every layer type with fuzzy matching ("cv2" finds
// Conv2D); Enter adds the best match where the popup was opened.

#include <QFrame>

class QLineEdit;
class QListWidget;

namespace nc::ui {

// Fuzzy score of `query` against `candidate` (subsequence, case-insensitive); -1 when the
// letters do not all appear in order. Higher is better.
int fuzzyScore(const QString& query, const QString& candidate);

class QuickAddPopup : public QFrame {
    Q_OBJECT

public:
    explicit QuickAddPopup(QWidget* parent = nullptr);
    // Opens at `globalPos`, moved as needed to stay on that screen. `allowed`: the layer
    // types to offer (empty: all), e.g. those that fit a wire being dropped.
    void popup(QPoint globalPos, const QStringList& allowed = {});
    QStringList matches() const;
    void setQuery(const QString& text);

signals:
    void chosen(const QString& type);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void refill();
    void choose();

    QStringList m_allowed;
    QLineEdit* m_search;
    QListWidget* m_list;
};

} // namespace nc::ui
