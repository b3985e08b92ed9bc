#pragma once
// Helpers for graph_model tests: building small graphs from Qt Test data rows.

#include "graph_model/graph.h"
#include "graph_model/shapeinference.h"

#include <QString>
#include <QVariantMap>

namespace nc::test {

// QVariant (int, double, bool, string, list of ints, invalid = none) to a parameter value.
graph::ParamValue toParam(const QVariant& value);

// "1x28x28" -> {1, 28, 28}; "" -> {}.
graph::Shape parseShape(const QString& text);

// One Input node per shape in `inputShapes` ("1x28x28;32x4x4"), each feeding the next input
// port of a node of `type` with `params`. Fails with a message when an edit is refused.
struct SingleLayerGraph {
    graph::Graph graph;
    graph::NodeId layer = graph::kNoNode;
    QString error;
};
SingleLayerGraph buildSingleLayer(const QString& type, const QString& inputShapes,
                                  const QVariantMap& params);

QString sourcePath(const QString& relative); // NC_SOURCE_DIR/relative
QString examplePath(const QString& name);    // resources/examples/<name>.json
graph::Result<graph::Graph> loadExample(const QString& name);

// The output shape of port 0 as text, or "error: <first error message>" when there is none.
QString outcomeText(const graph::InferenceResult& result, graph::NodeId node);

} // namespace nc::test
