#include "jsonparse.h"

#include "core/utf8.h"

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

namespace nc::graph {

using nc::core::Result;
using nc::core::Status;

namespace {

std::pair<std::size_t, std::size_t> lineAndColumn(std::string_view text, std::size_t byte) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

// The offset of the first bracket that opens level `limit + 1`. Only called once the parser
// has read the text up to there, so the text is valid JSON that far.
std::size_t offsetPastDepth(std::string_view text, std::size_t limit) {
    std::size_t depth = 0;
    bool inString = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return text.size();
}

std::string describeParseError(const std::string& what) {
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    const std::size_t colon = what.find(": ", what.find("column"));
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

// Builds the value from nlohmann's SAX events, refusing deep nesting and repeated keys.
class StrictBuilder {
public:
    using Json = OrderedJson;
    explicit StrictBuilder(const JsonElementSink& sink) : m_sink(sink) {}
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    bool null() { return add(Json(nullptr)); }
    bool boolean(bool v) { return add(Json(v)); }
    bool number_integer(number_integer_t v) { return add(Json(v)); }
    bool number_unsigned(number_unsigned_t v) { return add(Json(v)); }
    bool number_float(number_float_t v, const string_t&) { return add(Json(v)); }
    bool string(string_t& v) { return add(Json(std::move(v))); }
    bool binary(binary_t&) { return false; } // JSON text has no binary values
    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(string_t& k) {
        Frame& top = m_stack.back();
        if (!isNewKey(top, k)) {
            const std::string path = pathOfTop();
            m_error = (path.empty() ? "" : path + ": ") + "duplicate key \"" +
                      nc::core::escapeInvalidUtf8(k) + "\"";
            return false;
        }
        top.key = k;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const std::exception& e) {
        m_errorByte = position > 0 ? position - 1 : 0;
        m_error = nc::core::escapeInvalidUtf8(describeParseError(e.what()));
        return false;
    }

    Json& root() { return m_root; }
    const std::string& error() const { return m_error; }
    // Where a syntax error was found; none for errors that carry a JSON path.
    std::optional<std::size_t> errorByte() const { return m_errorByte; }
    bool tooDeep() const { return m_tooDeep; }

private:
    struct Frame {
        Json* value;
        std::unordered_set<std::string> keys; // large objects: their keys, for repeats
        std::string key;                      // objects: the key of the value being read
        std::size_t count = 0;                // arrays: the elements read, taken ones too
    };

    // Small objects (nearly all) are searched directly; a set is built for large ones, so a
    // header of 100,000 tensors is not O(n^2).
    static bool isNewKey(Frame& frame, const std::string& key) {
        constexpr std::size_t kScanLimit = 16;
        const auto& object = frame.value->get_ref<const Json::object_t&>();
        if (object.size() < kScanLimit) {
            for (const auto& entry : object)
                if (entry.first == key)
                    return false;
            return true;
        }
        if (frame.keys.empty())
            for (const auto& entry : object)
                frame.keys.insert(entry.first);
        return frame.keys.insert(key).second;
    }

    // Places a value in the open container (or as the root) and returns where it now lives.
    Json* place(Json&& value) {
        if (m_stack.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        Frame& top = m_stack.back();
        if (top.value->is_array()) {
            auto& array = top.value->get_ref<Json::array_t&>();
            array.push_back(std::move(value));
            ++top.count;
            return &array.back();
        }
        // The key is known to be new, so append instead of ordered_map's linear lookup.
        auto& object = top.value->get_ref<Json::object_t&>();
        if (object.size() == object.capacity()) {
            // The vector's own growth would deep-copy every value (a pair with a const key
            // cannot be moved); move them into a larger one instead.
            Json::object_t larger;
            larger.reserve(std::max<std::size_t>(4, 2 * object.size()));
            for (auto& entry : object)
                larger.emplace_back(entry.first, std::move(entry.second));
            object.swap(larger);
        }
        object.emplace_back(top.key, std::move(value));
        return &object.back().second;
    }

    bool add(Json&& value) {
        place(std::move(value));
        offerLastElement();
        return true;
    }

    bool open(Json&& container) {
        if (m_stack.size() >= kMaxJsonDepth) {
            m_tooDeep = true;
            m_error = "nested deeper than " + std::to_string(kMaxJsonDepth) + " arrays and objects";
            return false;
        }
        // Ancestors stay put: a container only gains siblings after it is closed.
        m_stack.push_back({place(std::move(container)), {}, {}, 0});
        return true;
    }

    bool close() {
        m_stack.pop_back();
        offerLastElement();
        return true;
    }

    // When the value just completed is an element of an array under the top-level object,
    // the sink may take it.
    void offerLastElement() {
        if (!m_sink || m_stack.size() != 2 || !m_stack[0].value->is_object() ||
            !m_stack[1].value->is_array())
            return;
        Frame& array = m_stack[1];
        auto& elements = array.value->get_ref<Json::array_t&>();
        if (m_sink(m_stack[0].key, array.count - 1, elements.back(), m_root))
            elements.pop_back();
    }

    // "nodes[2].params" for the innermost open container.
    std::string pathOfTop() const {
        std::string path;
        for (std::size_t i = 1; i < m_stack.size(); ++i) {
            const Frame& parent = m_stack[i - 1];
            if (parent.value->is_array())
                path += "[" + std::to_string(parent.count - 1) + "]";
            else
                path += (path.empty() ? "" : ".") + nc::core::escapeInvalidUtf8(parent.key);
        }
        return path;
    }

    const JsonElementSink& m_sink;
    Json m_root;
    std::vector<Frame> m_stack;
    std::string m_error;
    std::optional<std::size_t> m_errorByte;
    bool m_tooDeep = false;
};

} // namespace

Result<OrderedJson> parseJson(std::string_view text, const std::string& source,
                              const JsonElementSink& sink) {
    StrictBuilder builder(sink);
    try {
        if (OrderedJson::sax_parse(text.begin(), text.end(), &builder))
            return std::move(builder.root());
    } catch (const std::exception& e) { // bad_alloc, or a limit nlohmann enforces by throwing
        return Status::error(source + ": unreadable JSON: " + e.what());
    }
    std::optional<std::size_t> byte = builder.errorByte();
    if (builder.tooDeep())
        byte = offsetPastDepth(text, kMaxJsonDepth);
    if (!byte)
        return Status::error(source + ": " + builder.error());
    const auto [line, column] = lineAndColumn(text, *byte);
    return Status::error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                         builder.error());
}

} // namespace nc::graph
