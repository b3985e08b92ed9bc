#include "layerspec.h"

#include <algorithm>
#include <cassert>

namespace nc::graph {

ShapeContext::ShapeContext(const Node& node, const LayerSpec& spec,
                           std::vector<std::optional<Shape>> inputs, NodeLookup findNode,
                           InputShapeLookup inputShapeOf)
    : m_node(node), m_spec(spec), m_findNode(std::move(findNode)),
      m_inputShapeOf(std::move(inputShapeOf)) {
    for (std::optional<Shape>& shape : inputs) {
        m_connected.push_back(shape.has_value());
        m_inputs.push_back(shape ? std::move(*shape) : Shape{});
    }
}

const ParamValue& ShapeContext::value(const std::string& name) const {
    if (const ParamValue* v = m_node.params.find(name))
        return *v;
    const ParamSpec* spec = m_spec.findParam(name);
    assert(spec && "shape rule asked for a parameter its spec does not declare");
    return spec->defaultValue;
}

bool ShapeContext::isNone(const std::string& name) const {
    return std::holds_alternative<std::monostate>(value(name));
}

bool ShapeContext::flag(const std::string& name) const {
    return std::get<bool>(value(name));
}

std::int64_t ShapeContext::integer(const std::string& name) const {
    return std::get<std::int64_t>(value(name));
}

double ShapeContext::number(const std::string& name) const {
    const ParamValue& v = value(name);
    if (auto* i = std::get_if<std::int64_t>(&v))
        return double(*i);
    return std::get<double>(v);
}

const std::string& ShapeContext::text(const std::string& name) const {
    return std::get<std::string>(value(name));
}

const IntList& ShapeContext::ints(const std::string& name) const {
    return std::get<IntList>(value(name));
}

const ParamSpec* LayerSpec::findParam(const std::string& name) const {
    for (const ParamSpec& p : params)
        if (p.name == name)
            return &p;
    return nullptr;
}

int LayerSpec::inputCount(const ParamMap& nodeParams) const {
    if (!variadicInputs)
        return int(inputs.size());
    if (const ParamValue* v = nodeParams.find("inputs"))
        if (auto* n = std::get_if<std::int64_t>(v))
            return int(*n);
    return int(std::get<std::int64_t>(findParam("inputs")->defaultValue));
}

std::string LayerSpec::inputName(PortIndex port) const {
    if (variadicInputs)
        return inputs.front().name + std::to_string(port);
    return port >= 0 && port < int(inputs.size()) ? inputs[std::size_t(port)].name : "?";
}

PortType LayerSpec::inputType(PortIndex port) const {
    if (variadicInputs)
        return inputs.front().type;
    return inputs.at(std::size_t(port)).type;
}

bool LayerSpec::inputOptional(PortIndex port) const {
    return !variadicInputs && port >= 0 && port < int(inputs.size()) &&
           inputs[std::size_t(port)].optional;
}

ParamMap LayerSpec::defaultParams() const {
    ParamMap map;
    for (const ParamSpec& p : params)
        map.set(p.name, p.defaultValue);
    return map;
}

std::string summarizeParams(const LayerSpec& spec, const ParamMap& params) {
    std::string text;
    for (const std::string& name : spec.summaryParams) {
        const ParamValue* v = params.find(name);
        if (!v || std::holds_alternative<std::monostate>(*v))
            continue;
        const bool* flag = std::get_if<bool>(v);
        if (flag && !*flag) // a switch shows only when on, by its name
            continue;
        if (!text.empty())
            text += " \u00b7 ";
        if (flag) {
            std::string shown = name;
            std::replace(shown.begin(), shown.end(), '_', ' ');
            text += shown;
        } else {
            text += formatParamValue(*v);
        }
    }
    return text;
}

} // namespace nc::graph
