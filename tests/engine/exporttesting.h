#pragma once
// What the export and import tests share: an example with its initial weights, and an
// observer that keeps copies of the values it is asked for.

#include "enginetesting.h"

#include "engine/observer.h"
#include "engine/parameterstore.h"

#include <QString>
#include <QtTest>

#include <map>
#include <set>
#include <vector>

namespace nc::test {

// An example with its initial weights for seed 1.
inline engine::Model exampleWithInitialWeights(const QString& name) {
    engine::Model model = compileExample(qPrintable(name));
    engine::initializeParameters(model.params(), 1);
    return model;
}

// A QtTest data table of one string column, a row per name.
template <typename Names> void addNameRows(const char* column, const Names& names) {
    QTest::addColumn<QString>(column);
    for (const char* name : names)
        QTest::newRow(name) << QString(name);
}

class ValueTap final : public engine::TensorObserver {
public:
    ValueTap(const engine::Model& model, const std::vector<int>& values) {
        for (int v : values) {
            const engine::Value& value = model.values()[std::size_t(v)];
            m_wanted.insert({value.node, value.port});
        }
    }
    bool wants(graph::NodeId node, graph::PortIndex port) override {
        return m_wanted.count({node, port}) > 0;
    }
    void observe(graph::NodeId node, graph::PortIndex port, const engine::Tensor& value) override {
        kept[{node, port}] = value;
    }
    std::map<std::pair<graph::NodeId, graph::PortIndex>, engine::Tensor> kept;

private:
    std::set<std::pair<graph::NodeId, graph::PortIndex>> m_wanted;
};

} // namespace nc::test
