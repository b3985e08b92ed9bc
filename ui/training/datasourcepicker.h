#pragma once
// Choosing the training data: a kind (synthetic digits or shapes, an MNIST-format folder, an
// image folder with a subfolder per class, a CSV file) and, for the kinds on disk, its path
// with a Browse button. It edits a data spec ("mnist:/data/mnist"); specsChanged() fires when
// the user has finished an edit (not on every keystroke).

#include <QWidget>

class QComboBox;
class QLineEdit;
class QPushButton;

namespace nc::ui {

class DataSourcePicker : public QWidget {
    Q_OBJECT

public:
    explicit DataSourcePicker(QWidget* parent = nullptr);
    QString spec() const;
    void setSpec(const QString& spec); // no specEdited()

signals:
    void specEdited(const QString& spec);

private:
    void updatePathField();
    void browse();

    QComboBox* m_kind;
    QLineEdit* m_path;
    QPushButton* m_browse;
    QString m_syntheticOptions; // "?count=N&seed=S" of a synthetic spec, kept as it was
};

} // namespace nc::ui
