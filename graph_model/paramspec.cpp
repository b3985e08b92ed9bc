#include "paramspec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nc::graph {

namespace {

std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.15g", v);
    return buffer;
}

std::string joinChoices(const std::vector<std::string>& choices) {
    std::string text;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0)
            text += i + 1 == choices.size() ? " or " : ", ";
        text += '"' + choices[i] + '"';
    }
    return text;
}

bool isChoice(const ParamSpec& spec, const std::string& s) {
    return std::find(spec.choices.begin(), spec.choices.end(), s) != spec.choices.end();
}

Status fail(const ParamSpec& spec, const std::string& what) {
    return Status::error(spec.name + ": " + what);
}

Status checkRange(const ParamSpec& spec, double v, const std::string& label) {
    if (!(v >= spec.min && v <= spec.max)) // also rejects NaN
        return fail(spec, label + number(v) + " is outside " + number(spec.min) + ".." +
                              number(spec.max));
    return Status::ok();
}

Status checkIntList(const ParamSpec& spec, const IntList& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (Status s = checkRange(spec, double(list[i]), "value "); !s)
            return s;
    }
    return Status::ok();
}

Status checkShape(const ParamSpec& spec, const IntList& dims) {
    if (dims.empty() || dims.size() > 3)
        return fail(spec, "expected 1 to 3 dimensions, got " + std::to_string(dims.size()));
    int inferred = 0;
    for (std::int64_t d : dims) {
        if (d == -1 && spec.allowInferred) {
            ++inferred;
            continue;
        }
        if (d < 1 || double(d) > spec.max)
            return fail(spec,
                        "dimension " + std::to_string(d) + " is outside 1.." + number(spec.max) +
                            (spec.allowInferred ? " (or -1 for one inferred dimension)" : ""));
    }
    if (inferred > 1)
        return fail(spec, "only one dimension may be -1");
    return Status::ok();
}

} // namespace

std::string describeParamKind(const ParamSpec& spec) {
    switch (spec.kind) {
    case ParamKind::Bool:
        return "true or false";
    case ParamKind::Int:
        return "an integer";
    case ParamKind::Float:
        return "a number";
    case ParamKind::Choice:
        return joinChoices(spec.choices);
    case ParamKind::IntTuple:
        return std::to_string(spec.length) + " integers";
    case ParamKind::TensorShape:
        return "a shape of 1 to 3 integers";
    case ParamKind::Padding:
        return joinChoices(spec.choices) + " or 2 integers";
    case ParamKind::NodeRef:
        return "a node id";
    }
    return "a value";
}

Status validateParam(const ParamSpec& spec, const ParamValue& value) {
    if (std::holds_alternative<std::monostate>(value)) {
        if (spec.nullable)
            return Status::ok();
        return fail(spec, "a value is required (" + describeParamKind(spec) + ")");
    }
    auto expected = [&] {
        return fail(spec, "expected " + describeParamKind(spec) + ", got " +
                              describeParamValueType(value));
    };
    switch (spec.kind) {
    case ParamKind::Bool:
        return std::holds_alternative<bool>(value) ? Status::ok() : expected();
    case ParamKind::Int:
        if (auto* v = std::get_if<std::int64_t>(&value))
            return checkRange(spec, double(*v), "");
        return expected();
    case ParamKind::Float:
        if (auto* v = std::get_if<double>(&value))
            return std::isfinite(*v) ? checkRange(spec, *v, "") : fail(spec, "must be finite");
        if (auto* v = std::get_if<std::int64_t>(&value))
            return checkRange(spec, double(*v), "");
        return expected();
    case ParamKind::Choice:
        if (auto* v = std::get_if<std::string>(&value))
            return isChoice(spec, *v)
                       ? Status::ok()
                       : fail(spec, "\"" + *v + "\" is not one of " + joinChoices(spec.choices));
        return expected();
    case ParamKind::IntTuple:
        if (auto* v = std::get_if<IntList>(&value)) {
            if (int(v->size()) != spec.length)
                return fail(spec, "expected " + std::to_string(spec.length) + " integers, got " +
                                      std::to_string(v->size()));
            return checkIntList(spec, *v);
        }
        return expected();
    case ParamKind::TensorShape:
        if (auto* v = std::get_if<IntList>(&value))
            return checkShape(spec, *v);
        return expected();
    case ParamKind::Padding:
        if (auto* v = std::get_if<std::string>(&value))
            return isChoice(spec, *v)
                       ? Status::ok()
                       : fail(spec, "\"" + *v + "\" is not one of " + joinChoices(spec.choices) +
                                        ", nor 2 integers");
        if (auto* v = std::get_if<IntList>(&value)) {
            if (v->size() != 2)
                return fail(spec, "explicit padding needs 2 integers [ph, pw], got " +
                                      std::to_string(v->size()));
            return checkIntList(spec, *v);
        }
        return expected();
    case ParamKind::NodeRef:
        if (auto* v = std::get_if<std::int64_t>(&value))
            return *v > 0 ? Status::ok() : fail(spec, "node ids are positive");
        return expected();
    }
    return expected();
}

} // namespace nc::graph
