#pragma once
// What the ONNX import tests share: an imported graph compiled with its weights and run on
// one batch, giving the values of its last layer.

#include "exporttesting.h"

#include "engine/backendlist.h"
#include "engine/executor.h"
#include "engine/export/onnximport.h"
#include "engine/model.h"
#include "engine/probe/edgeprobe.h"

#include <QFile>
#include <QString>

namespace nc::test {

inline QByteArray readBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline nc::core::Result<engine::Tensor> runImported(const engine::OnnxImport& imported,
                                                    const engine::Tensor& x) {
    using nc::core::Status;
    auto model = engine::Model::compile(imported.graph);
    if (!model)
        return model.status();
    for (const auto& [name, tensor] : imported.weights) {
        auto index = model.value().params().find(name);
        if (!index)
            return Status::error("no parameter " + name);
        engine::Tensor& value = model.value().params().at(*index).value;
        if (value.dims() != tensor.dims())
            return Status::error(name + " has another shape");
        value = tensor;
    }
    int last = -1;
    for (const engine::PlanStep& step : model.value().steps())
        if (step.kind != engine::OpKind::Input)
            last = step.outputs[0];
    if (last < 0)
        return x; // the input itself (an Identity)
    ValueTap tap(model.value(), {last});
    auto cpu = engine::createBackend("cpu");
    if (!cpu)
        return cpu.status();
    engine::Executor executor(model.value(), *cpu.value());
    if (Status s = executor.forward(x, engine::zeroTargets(model.value(), x.dim(0)),
                                    engine::Mode::Eval, engine::RunContext{}, &tap);
        !s)
        return s;
    return tap.kept.begin()->second;
}

} // namespace nc::test
