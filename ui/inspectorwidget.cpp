#include "inspectorwidget.h"

#include "documentactions.h"
#include "graphdocument.h"

#include "graph_model/graphchange.h"
#include "graph_model/layerregistry.h"
#include "graph_model/noderefs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <climits>
#include <map>

namespace nc::ui {

using namespace nc::graph;

namespace {

int clampInt(double v) {
    return int(std::clamp(v, double(INT_MIN), double(INT_MAX)));
}

QSpinBox* spinBox(const ParamSpec& spec) {
    auto* box = new QSpinBox;
    box->setRange(clampInt(spec.min), clampInt(spec.max));
    box->setKeyboardTracking(false);
    box->setAccelerated(true);
    return box;
}

QString shapeText(const IntList& dims) {
    return QString::fromStdString(formatParamValue(dims));
}

std::optional<IntList> parseShapeText(const QString& text) {
    IntList dims;
    for (const QString& part : text.split(QRegularExpression("[x,\\s]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const long long v = part.toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        dims.push_back(v);
    }
    return dims;
}

} // namespace

InspectorWidget::InspectorWidget(GraphDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    m_type = new QLabel;
    m_type->setWordWrap(true);
    m_name = new QLineEdit;
    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #e03e36;");
    m_body = new QWidget;
    m_form = new QFormLayout(m_body);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addWidget(m_type);
    outer->addWidget(m_body);
    outer->addWidget(m_error);
    outer->addWidget(m_info);
    outer->addStretch();

    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        if (m_node == kNoNode)
            return;
        const QString refused = renameNode(m_document, m_node, m_name->text().trimmed());
        showError(refused);
        if (!refused.isEmpty())
            m_name->setText(QString::fromStdString(m_document->graph().node(m_node)->name));
    });
    connect(document, &GraphDocument::graphChanged, this, [this](unsigned mask, qint64 node) {
        if (mask & NodeRemoved && NodeId(node) == m_node)
            setNode(kNoNode);
        else if (mask & (ParamChanged | NodeRenamed) && NodeId(node) == m_node)
            refreshValues();
        else if (mask & (NodeAdded | NodeRemoved | NodeRenamed))
            refreshValues(); // node-reference pickers list the allowed nodes by name
    });
    connect(document, &GraphDocument::graphReset, this, [this] { setNode(kNoNode); });
    connect(document, &GraphDocument::inferenceChanged, this, &InspectorWidget::refreshInfo);
    setNode(kNoNode);
}

void InspectorWidget::setNode(NodeId id) {
    m_node = m_document->graph().node(id) ? id : kNoNode;
    rebuild();
}

QWidget* InspectorWidget::editorFor(const QString& param) const {
    for (const auto& [name, editor] : m_editors)
        if (QString::fromStdString(name) == param)
            return editor;
    return nullptr;
}

QString InspectorWidget::errorText() const {
    return m_error->text();
}

void InspectorWidget::showError(const QString& text) {
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

QString InspectorWidget::apply(const std::string& param, const ParamValue& value, bool mergeable) {
    if (m_node == kNoNode)
        return tr("no layer is selected");
    const QString refused = setParameter(m_document, m_node, param, value, mergeable);
    showError(refused);
    if (!refused.isEmpty())
        refreshValues(); // back to what the model holds
    return refused;
}

void InspectorWidget::rebuild() {
    m_editors.clear();
    m_refreshers.clear();
    // The name field is reused: take its row out (removeRow would delete it), drop the rest.
    if (m_form->indexOf(m_name) >= 0) {
        QFormLayout::TakeRowResult row = m_form->takeRow(m_name);
        if (row.labelItem) {
            delete row.labelItem->widget();
            delete row.labelItem;
        }
        delete row.fieldItem; // the layout item, not the widget
    }
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    showError({});
    const Node* node = m_document->graph().node(m_node);
    m_name->setVisible(node != nullptr);
    if (!node) {
        m_type->setText(tr("Select a layer to edit it. Drag layers from the palette, or press Tab "
                           "on the canvas."));
        m_info->clear();
        return;
    }
    const LayerSpec& spec = m_document->graph().specOf(*node);
    m_type->setText(QString("<b>%1</b><br><span style='color:gray'>%2</span>")
                        .arg(QString::fromStdString(spec.type),
                             QString::fromStdString(spec.help).toHtmlEscaped()));
    m_form->addRow(tr("name"), m_name);
    for (const ParamSpec& p : spec.params) {
        QWidget* editor = makeEditor(p);
        editor->setToolTip(QString::fromStdString(p.help));
        auto* label = new QLabel(QString::fromStdString(p.name));
        label->setToolTip(editor->toolTip());
        m_form->addRow(label, editor);
        m_editors.emplace_back(p.name, editor);
    }
    refreshValues();
    refreshInfo();
}

void InspectorWidget::refreshValues() {
    const Node* node = m_document->graph().node(m_node);
    if (!node)
        return;
    QSignalBlocker block(m_name);
    if (!m_name->hasFocus())
        m_name->setText(QString::fromStdString(node->name));
    for (const auto& refresh : m_refreshers)
        refresh();
    // Parameters that follow a referenced node (refFollows: a tied deconvolution's kernel
    // follows its convolution) are shown, but not editable, while the reference is set.
    const Graph& graph = m_document->graph();
    const LayerSpec& spec = graph.specOf(*node);
    std::map<std::string, QString> following; // parameter -> where it comes from
    for (const NodeReference& r : nodeReferences(*node)) {
        const Node* target = graph.node(r.target);
        const QString source = QString::fromStdString(
            (target ? describeNode(*target) : "node " + std::to_string(r.target)) + " (" + r.param +
            ")");
        for (const std::string& param : spec.findParam(r.param)->refFollows)
            following[param] = tr("Follows %1").arg(source);
    }
    for (const auto& [param, editor] : m_editors) {
        auto it = following.find(param);
        editor->setEnabled(it == following.end());
        editor->setToolTip(it != following.end()
                               ? it->second
                               : QString::fromStdString(spec.findParam(param)->help));
    }
}

void InspectorWidget::refreshInfo() {
    const Node* node = m_document->graph().node(m_node);
    const NodeInference* inf = m_document->inference().node(m_node);
    if (!node || !inf) {
        m_info->clear();
        return;
    }
    const LayerSpec& spec = m_document->graph().specOf(*node);
    QStringList lines;
    for (std::size_t i = 0; i < spec.outputs.size() && i < inf->outputs.size(); ++i)
        lines << tr("output %1: %2")
                     .arg(QString::fromStdString(spec.outputs[i].name),
                          QString::fromStdString(formatShape(inf->outputs[i])));
    for (const ParamTensor& t : inf->params)
        lines << QString("%1 %2%3").arg(
            QString::fromStdString(t.name), QString::fromStdString(formatShape(t.shape)),
            t.tiedTo != kNoNode ? tr(" (tied)") : (!t.trainable ? tr(" (buffer)") : ""));
    lines
        << tr("%1 trainable parameters").arg(QString::fromStdString(formatCount(inf->paramCount)));
    for (const Diagnostic& d : inf->diagnostics)
        lines << QString("<span style='color:#e03e36'>%1</span>")
                     .arg(QString::fromStdString(d.message).toHtmlEscaped());
    m_info->setText(lines.join("<br>"));
}

QWidget* InspectorWidget::makeEditor(const ParamSpec& spec) {
    const std::string name = spec.name;
    auto current = [this, name]() -> const ParamValue& {
        return *m_document->graph().node(m_node)->params.find(name);
    };
    switch (spec.kind) {
    case ParamKind::Bool: {
        auto* box = new QCheckBox;
        connect(box, &QCheckBox::toggled, this, [this, name](bool on) { apply(name, on, false); });
        m_refreshers.push_back([box, current] {
            QSignalBlocker b(box);
            box->setChecked(std::get<bool>(current()));
        });
        return box;
    }
    case ParamKind::Int: {
        auto* box = spinBox(spec);
        connect(box, &QSpinBox::valueChanged, this,
                [this, name](int v) { apply(name, std::int64_t(v), true); });
        m_refreshers.push_back([box, current] {
            QSignalBlocker b(box);
            box->setValue(int(std::get<std::int64_t>(current())));
        });
        return box;
    }
    case ParamKind::Float: {
        auto* box = new QDoubleSpinBox;
        box->setDecimals(spec.max <= 1.0 ? 4 : 3);
        box->setRange(spec.min, spec.max);
        box->setSingleStep(spec.max <= 1.0 ? 0.05 : 0.1);
        box->setKeyboardTracking(false);
        connect(box, &QDoubleSpinBox::valueChanged, this,
                [this, name](double v) { apply(name, v, true); });
        m_refreshers.push_back([box, current] {
            QSignalBlocker b(box);
            const ParamValue& v = current();
            box->setValue(std::holds_alternative<double>(v) ? std::get<double>(v)
                                                            : double(std::get<std::int64_t>(v)));
        });
        return box;
    }
    case ParamKind::Choice: {
        auto* box = new QComboBox;
        for (const std::string& c : spec.choices)
            box->addItem(QString::fromStdString(c));
        connect(box, &QComboBox::currentTextChanged, this,
                [this, name](const QString& t) { apply(name, t.toStdString(), false); });
        m_refreshers.push_back([box, current] {
            QSignalBlocker b(box);
            box->setCurrentText(QString::fromStdString(std::get<std::string>(current())));
        });
        return box;
    }
    case ParamKind::IntTuple:
    case ParamKind::Padding: {
        // [h, w] spin boxes; "same"-style modes and "none" sit in a combo box in front.
        auto* row = new QWidget;
        auto* layout = new QHBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        auto* mode = new QComboBox;
        const bool hasModes = spec.kind == ParamKind::Padding || spec.nullable;
        if (spec.kind == ParamKind::Padding)
            for (const std::string& c : spec.choices)
                mode->addItem(QString::fromStdString(c));
        if (spec.nullable)
            mode->addItem(QString::fromStdString(spec.nullMeaning));
        mode->addItem(tr("explicit"));
        mode->setVisible(hasModes);
        auto* h = spinBox(spec);
        auto* w = spinBox(spec);
        // Linked (the default for a square pair): one edit sets both, as most kernels,
        // strides and pools are square.
        auto* link = new QToolButton;
        link->setObjectName("link_" + QString::fromStdString(name));
        link->setCheckable(true);
        link->setText(QStringLiteral("\u26AF"));
        link->setToolTip(tr("Linked: height and width change together"));
        layout->addWidget(mode);
        layout->addWidget(h);
        layout->addWidget(link);
        layout->addWidget(w);
        auto push = [this, name, mode, h, w, spec](bool mergeable) {
            const QString m = mode->currentText();
            if (m == tr("explicit") || !mode->isVisible())
                apply(name, IntList{h->value(), w->value()}, mergeable);
            else if (spec.nullable && m == QString::fromStdString(spec.nullMeaning))
                apply(name, std::monostate{}, false);
            else
                apply(name, m.toStdString(), false);
        };
        // With the link on, the other box follows before the single undoable edit.
        auto follow = [link, push](QSpinBox* other, int value) {
            if (link->isChecked() && other->value() != value) {
                QSignalBlocker quiet(other);
                other->setValue(value);
            }
            push(true);
        };
        connect(h, &QSpinBox::valueChanged, this, [follow, w](int v) { follow(w, v); });
        connect(w, &QSpinBox::valueChanged, this, [follow, h](int v) { follow(h, v); });
        connect(mode, &QComboBox::currentTextChanged, this, [push] { push(false); });
        connect(link, &QToolButton::toggled, this, [link](bool on) {
            link->setToolTip(on ? tr("Linked: height and width change together")
                                : tr("Unlinked: height and width are set apart"));
        });
        // Square pairs start linked; a rectangular one starts unlinked.
        link->setChecked(std::holds_alternative<IntList>(current()) &&
                         std::get<IntList>(current()).size() == 2 &&
                         std::get<IntList>(current())[0] == std::get<IntList>(current())[1]);
        m_refreshers.push_back([mode, h, w, link, current, spec] {
            QSignalBlocker b1(mode), b2(h), b3(w);
            const ParamValue& v = current();
            const bool explicitPair = std::holds_alternative<IntList>(v);
            if (explicitPair) {
                mode->setCurrentText(tr("explicit"));
                h->setValue(int(std::get<IntList>(v)[0]));
                w->setValue(int(std::get<IntList>(v)[1]));
            } else if (std::holds_alternative<std::monostate>(v)) {
                mode->setCurrentText(QString::fromStdString(spec.nullMeaning));
            } else {
                mode->setCurrentText(QString::fromStdString(std::get<std::string>(v)));
            }
            h->setEnabled(explicitPair);
            w->setEnabled(explicitPair);
            link->setEnabled(explicitPair);
        });
        return row;
    }
    case ParamKind::TensorShape: {
        auto* edit = new QLineEdit;
        edit->setPlaceholderText(spec.allowInferred ? "32x4x4 (one -1 allowed)" : "1x28x28");
        connect(edit, &QLineEdit::editingFinished, this, [this, name, edit] {
            std::optional<IntList> dims = parseShapeText(edit->text());
            if (!dims) {
                showError(tr("%1: write the shape as numbers separated by x, e.g. 1x28x28")
                              .arg(QString::fromStdString(name)));
                refreshValues();
                return;
            }
            apply(name, *dims, false);
        });
        m_refreshers.push_back([edit, current] {
            if (!edit->hasFocus())
                edit->setText(shapeText(std::get<IntList>(current())));
        });
        return edit;
    }
    case ParamKind::NodeRef: {
        auto* box = new QComboBox;
        connect(box, &QComboBox::activated, this, [this, name, box](int index) {
            const qlonglong id = box->itemData(index).toLongLong();
            apply(name, id == 0 ? ParamValue(std::monostate{}) : ParamValue(std::int64_t(id)),
                  false);
        });
        m_refreshers.push_back([this, box, current, spec] {
            QSignalBlocker b(box);
            box->clear();
            box->addItem(QString::fromStdString(spec.nullMeaning), 0);
            for (NodeId id : m_document->graph().nodeIds()) {
                const Node& n = *m_document->graph().node(id);
                if (id != m_node && refAllows(spec, n.type))
                    box->addItem(QString::fromStdString(n.name), qlonglong(id));
            }
            const ParamValue& v = current();
            box->setCurrentIndex(
                std::holds_alternative<std::int64_t>(v)
                    ? std::max(0, box->findData(qlonglong(std::get<std::int64_t>(v))))
                    : 0);
        });
        return box;
    }
    }
    return new QWidget;
}

} // namespace nc::ui
