#pragma once
// The inspector: editors generated from the selected layer's parameter schema (spin boxes
// with ranges, combo boxes, check boxes, pair and shape editors, and for each node reference
// a picker of the nodes it may name, greying out the parameters that follow the target while
// it is set), the name, and what shape inference says about the layer. Every change goes
// through an undo command; a refused value is explained and the editor shows the model's
// value again.

#include "graph_model/ids.h"
#include "graph_model/paramspec.h"

#include <QWidget>
#include <functional>
#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace nc::ui {

class GraphDocument;

class InspectorWidget : public QWidget {
    Q_OBJECT

public:
    explicit InspectorWidget(GraphDocument* document, QWidget* parent = nullptr);

    void setNode(nc::graph::NodeId id);
    nc::graph::NodeId node() const { return m_node; }
    QWidget* editorFor(const QString& param) const;
    QString errorText() const;
    // Applies a value as if typed into the parameter's editor (tests, scripting).
    QString apply(const std::string& param, const nc::graph::ParamValue& value, bool mergeable);

private:
    void rebuild();
    void refreshValues();
    void refreshInfo();
    QWidget* makeEditor(const nc::graph::ParamSpec& spec);
    void showError(const QString& text);

    GraphDocument* m_document;
    nc::graph::NodeId m_node = nc::graph::kNoNode;
    QFormLayout* m_form = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_type = nullptr;
    QLabel* m_info = nullptr;
    QLabel* m_error = nullptr;
    QWidget* m_body = nullptr;
    std::vector<std::pair<std::string, QWidget*>> m_editors;
    std::vector<std::function<void()>> m_refreshers; // put the model's values into the editors
};

} // namespace nc::ui
