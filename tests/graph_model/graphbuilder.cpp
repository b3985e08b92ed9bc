#include "graphbuilder.h"

#include "graph_model/graphjson.h"

#include <QStringList>

namespace nc::test {

using namespace nc::graph;

ParamValue toParam(const QVariant& value) {
    switch (value.typeId()) {
    case QMetaType::UnknownType:
        return std::monostate{};
    case QMetaType::Bool:
        return value.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong:
        return std::int64_t(value.toLongLong());
    case QMetaType::Double:
        return value.toDouble();
    case QMetaType::QString:
        return value.toString().toStdString();
    default: {
        IntList list;
        for (const QVariant& item : value.toList())
            list.push_back(item.toLongLong());
        return list;
    }
    }
}

Shape parseShape(const QString& text) {
    Shape shape;
    for (const QString& part : text.split('x', Qt::SkipEmptyParts))
        shape.push_back(part.toLongLong());
    return shape;
}

SingleLayerGraph buildSingleLayer(const QString& type, const QString& inputShapes,
                                  const QVariantMap& params) {
    SingleLayerGraph built;
    Graph& g = built.graph;
    auto layer = g.addNode(type.toStdString(), {400, 0}, "layer");
    if (!layer) {
        built.error = QString::fromStdString(layer.message());
        return built;
    }
    built.layer = layer.value();
    for (auto it = params.begin(); it != params.end(); ++it) {
        Status s = g.setParam(built.layer, it.key().toStdString(), toParam(it.value()));
        if (!s) {
            built.error = QString::fromStdString(s.message());
            return built;
        }
    }
    // An empty entry ("10x8;;16") leaves that port unconnected.
    const QStringList shapes = inputShapes.split(';');
    for (int i = 0; i < shapes.size(); ++i) {
        if (shapes[i].isEmpty())
            continue;
        NodeId input = g.addNode("Input", {0, 100.0 * i}, "input" + std::to_string(i + 1)).value();
        Status s = g.setParam(input, "shape", parseShape(shapes[i]));
        if (s)
            s = g.connect({input, 0, built.layer, i});
        if (!s) {
            built.error = QString::fromStdString(s.message());
            return built;
        }
    }
    return built;
}

QString sourcePath(const QString& relative) {
    return QStringLiteral(NC_SOURCE_DIR) + '/' + relative;
}

QString examplePath(const QString& name) {
    return sourcePath("resources/examples/" + name + ".json");
}

Result<Graph> loadExample(const QString& name) {
    return loadGraphFile(examplePath(name).toStdString());
}

QString outcomeText(const InferenceResult& result, NodeId node) {
    const NodeInference* n = result.node(node);
    if (!n)
        return "missing";
    for (const Diagnostic& d : n->diagnostics)
        if (d.severity == Severity::Error)
            return "error: " + QString::fromStdString(d.message);
    if (n->outputs.empty() || !n->outputs[0])
        return "unknown";
    return QString::fromStdString(formatShape(*n->outputs[0]));
}

} // namespace nc::test
