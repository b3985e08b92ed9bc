#include "pythonnames.h"

#include <cstdint>
#include <cstdio>

namespace nc::engine {

namespace {

// The code point of the UTF-8 sequence at text[i] and its length, or -1 when the bytes
// there are not valid UTF-8 (overlong forms and surrogates included).
std::pair<long, std::size_t> decodeUtf8(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = lead < 0x80         ? 1
                         : lead >> 5 == 0x6  ? 2
                         : lead >> 4 == 0xe  ? 3
                         : lead >> 3 == 0x1e ? 4
                                             : 0;
    if (length == 0 || i + length > text.size())
        return {-1, 1};
    long code = length == 1 ? lead : lead & (0x7f >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if (byte(i + k) >> 6 != 0x2)
            return {-1, 1};
        code = (code << 6) | (byte(i + k) & 0x3f);
    }
    static const long kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return {-1, 1};
    return {code, length};
}

std::string hexEscape(const char* format, unsigned long value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

bool isIdentifierByte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The top-level names a Python source defines: `def f`, `class C`, `NAME =`, `import a`,
// `import a.b as c`, `from a import b, c`. Enough for the support code NetCanvas writes.
std::set<std::string> topLevelNames(std::string_view source) {
    std::set<std::string> names;
    const auto word = [](std::string_view s) {
        std::size_t n = 0;
        while (n < s.size() && isIdentifierByte(static_cast<unsigned char>(s[n])))
            ++n;
        return std::string(s.substr(0, n));
    };
    std::size_t begin = 0;
    while (begin < source.size()) {
        std::size_t end = source.find('\n', begin);
        if (end == std::string_view::npos)
            end = source.size();
        std::string_view line = source.substr(begin, end - begin);
        begin = end + 1;
        for (std::string_view keyword : {"def ", "class "})
            if (line.substr(0, keyword.size()) == keyword)
                names.insert(word(line.substr(keyword.size())));
        if (line.substr(0, 7) == "import ") {
            const std::size_t as = line.rfind(" as ");
            names.insert(as == std::string_view::npos ? word(line.substr(7))
                                                      : word(line.substr(as + 4)));
        }
        if (line.substr(0, 5) == "from ") {
            std::size_t at = line.find(" import ");
            for (at = at == std::string_view::npos ? line.size() : at + 8; at < line.size();) {
                const std::string name = word(line.substr(at));
                names.insert(name);
                at = line.find(',', at);
                at = at == std::string_view::npos ? line.size()
                                                  : line.find_first_not_of(' ', at + 1);
            }
        }
        const std::string first = word(line);
        if (!first.empty() && line.substr(first.size()).rfind(" =", 0) == 0)
            names.insert(first);
    }
    names.erase("");
    return names;
}

} // namespace

std::string pythonCommentText(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto [code, length] = decodeUtf8(text, i);
        const auto c = static_cast<unsigned char>(text[i]);
        i += length;
        if (code < 0)
            out += hexEscape("\\udc%02x", c);
        else if (code == '\\' || code == '"' || code == '\'')
            out += std::string("\\") + char(code);
        else if (code == '\n')
            out += "\\n";
        else if (code == '\r')
            out += "\\r";
        else if (code == '\t')
            out += "\\t";
        else if (code < 0x20 || code == 0x7f)
            out += hexEscape("\\x%02lx", static_cast<unsigned long>(code));
        else if (code < 0x80)
            out += char(code);
        else if (code <= 0xffff)
            out += hexEscape("\\u%04lx", static_cast<unsigned long>(code));
        else
            out += hexEscape("\\U%08lx", static_cast<unsigned long>(code));
    }
    return out;
}

std::string pythonStringLiteral(std::string_view text) {
    return "\"" + pythonCommentText(text) + "\"";
}

std::set<std::string> pythonReservedNames(std::string_view supportSource) {
    std::set<std::string> names{
        // Keywords and soft keywords.
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield", "match", "case", "type", "_",
        // Builtins (Python 3.11's, and a few names they may gain).
        "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray",
        "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
        "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float",
        "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id",
        "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list", "locals",
        "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print",
        "property", "quit", "range", "repr", "reversed", "round", "set", "setattr", "slice",
        "sorted", "staticmethod", "str", "sum", "super", "tuple", "vars", "zip", "self", "cls",
        // nn.Module's public attributes and methods (PyTorch 1.13 to 2.x); the private ones
        // all start with '_', which no identifier given here does.
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init",
        "children", "cpu", "cuda", "double", "dump_patches", "eval", "extra_repr", "float",
        "forward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "half", "ipu",
        "load_state_dict", "modules", "mtia", "named_buffers", "named_children", "named_modules",
        "named_parameters", "parameters", "register_backward_hook", "register_buffer",
        "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
        "register_full_backward_pre_hook", "register_load_state_dict_post_hook",
        "register_load_state_dict_pre_hook", "register_module", "register_parameter",
        "register_state_dict_post_hook", "register_state_dict_pre_hook", "requires_grad_",
        "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train",
        "training", "type", "xpu", "zero_grad",
        // What the generated model class and its methods define or use.
        "INPUT_SHAPE", "VOCABULARY", "OUTPUTS", "LOGITS", "STATE_NAMES", "loss", "Model",
        "TiedBias", "x", "y", "outputs", "total", "channels", "bias"};
    names.merge(topLevelNames(supportSource));
    return names;
}

PythonIdentifiers::PythonIdentifiers(std::set<std::string> reserved)
    : m_taken(std::move(reserved)) {}

bool PythonIdentifiers::isFree(const std::string& identifier) const {
    return !identifier.empty() && !m_taken.count(identifier);
}

void PythonIdentifiers::keepSafe(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
        if (m_given.count(name) || name.empty() || name[0] == '_' ||
            (name[0] >= '0' && name[0] <= '9') || !isFree(name))
            continue;
        bool identifier = true;
        for (char c : name)
            identifier = identifier && isIdentifierByte(static_cast<unsigned char>(c));
        if (identifier) {
            m_given[name] = name;
            m_taken.insert(name);
        }
    }
}

const std::string& PythonIdentifiers::of(const std::string& name) {
    if (auto found = m_given.find(name); found != m_given.end())
        return found->second;
    return m_given[name] = fresh(name);
}

std::string PythonIdentifiers::fresh(const std::string& hint) {
    std::string base;
    for (char c : hint)
        base += isIdentifierByte(static_cast<unsigned char>(c)) ? c : '_';
    if (base.empty() || base[0] == '_' || (base[0] >= '0' && base[0] <= '9'))
        base = "node_" + base;
    std::string identifier = base;
    for (int i = 2; !isFree(identifier); ++i)
        identifier = base + "_" + std::to_string(i);
    m_taken.insert(identifier);
    return identifier;
}

} // namespace nc::engine
