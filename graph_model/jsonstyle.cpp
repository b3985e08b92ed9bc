#include "jsonstyle.h"

namespace nc::graph {

namespace {

constexpr std::size_t kInlineWidth = 72;

bool isFlat(const OrderedJson& value) {
    for (const auto& child : value) {
        if (child.is_object())
            return false;
        if (child.is_array())
            for (const auto& item : child)
                if (item.is_structured())
                    return false;
    }
    return true;
}

std::string inlineForm(const OrderedJson& value) {
    if (!value.is_structured())
        return value.dump();
    std::string text = value.is_object() ? "{" : "[";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
        text += first ? "" : ", ";
        first = false;
        if (value.is_object())
            text += OrderedJson(it.key()).dump() + ": ";
        text += inlineForm(*it);
    }
    return text + (value.is_object() ? "}" : "]");
}

void write(const OrderedJson& value, std::size_t indent, std::string& out) {
    if (!value.is_structured() || value.empty()) {
        out += value.dump();
        return;
    }
    if (isFlat(value)) {
        std::string flat = inlineForm(value);
        if (flat.size() + indent <= kInlineWidth ||
            (value.is_array() && !value.front().is_structured())) {
            out += flat;
            return;
        }
    }
    bool object = value.is_object();
    out += object ? "{\n" : "[\n";
    std::string pad(indent + 2, ' ');
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
        out += first ? "" : ",\n";
        first = false;
        out += pad;
        if (object)
            out += OrderedJson(it.key()).dump() + ": ";
        write(*it, indent + 2, out);
    }
    out += "\n" + std::string(indent, ' ') + (object ? "}" : "]");
}

} // namespace

std::string formatJson(const OrderedJson& value) {
    std::string out;
    write(value, 0, out);
    out += '\n';
    return out;
}

} // namespace nc::graph
