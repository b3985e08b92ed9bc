// Numeric CSV datasets: one sample per row, features then a label column. A first row of
// names only is a header; its "label" column (if any) is the label, otherwise the last
// column is. Lines and the whole file are capped, so a file with no line breaks (/dev/zero)
// or without end gives a message instead of filling memory.

#include "loaders.h"

#include "core/inputfile.h"

#include <charconv>
#include <cmath>
#include <memory>
#include <vector>

namespace nc::engine {

using nc::core::Status;

namespace {

constexpr std::size_t kMaxLineBytes = std::size_t(1) << 20;
constexpr std::uint64_t kMaxFileBytes = std::uint64_t(1) << 30;

std::vector<std::string_view> splitFields(std::string_view line) {
    std::vector<std::string_view> fields;
    auto trim = [](std::string_view f) {
        const std::size_t begin = f.find_first_not_of(" \t\r");
        if (begin == std::string_view::npos)
            return std::string_view();
        return f.substr(begin, f.find_last_not_of(" \t\r") - begin + 1);
    };
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string_view::npos;
         start = comma + 1)
        fields.push_back(trim(line.substr(start, comma - start)));
    fields.push_back(trim(line.substr(start)));
    return fields;
}

bool parseNumber(std::string_view text, float& value) {
    if (text.empty())
        return false;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    return ec == std::errc() && ptr == end && std::isfinite(value);
}

// Field text for a message: at most 40 bytes of it.
std::string shown(std::string_view field) {
    return field.size() > 40 ? std::string(field.substr(0, 40)) + "..." : std::string(field);
}

// Takes the file a line at a time and builds the dataset.
class CsvParser {
public:
    CsvParser(std::string path, std::int64_t features)
        : m_path(std::move(path)), m_features(features) {}

    Status addLine(std::string_view line) {
        ++m_line;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            return Status::ok();
        const std::vector<std::string_view> fields = splitFields(line);
        if (m_columns == 0) {
            Status first = readFirstRow(fields);
            if (!first || m_header)
                return first;
        }
        if (fields.size() != m_columns)
            return error("expected " + std::to_string(m_columns) + " fields, found " +
                         std::to_string(fields.size()));
        for (std::size_t i = 0; i < fields.size(); ++i) {
            float v = 0;
            if (!parseNumber(fields[i], v))
                return error(i == m_labelColumn
                                 ? "label \"" + shown(fields[i]) + "\" is not a number"
                                 : "field " + std::to_string(i + 1) + " \"" + shown(fields[i]) +
                                       "\" is not a number");
            (i == m_labelColumn ? m_labels : m_values).push_back(v);
        }
        m_lines.push_back(m_line);
        return Status::ok();
    }

    Result<Dataset> finish() {
        if (m_labels.empty())
            return Status::error(m_path + ": no data rows");
        const std::int64_t n = std::int64_t(m_labels.size());
        Tensor samples({n, m_features}), targets({n, 1});
        std::copy(m_values.begin(), m_values.end(), samples.data());
        m_values = {}; // before the next copy
        std::copy(m_labels.begin(), m_labels.end(), targets.data());
        bool classIndices = true;
        float maxLabel = 0;
        for (float l : m_labels) {
            classIndices = classIndices && l >= 0 && l == std::floor(l) && l < 100000;
            maxLabel = std::max(maxLabel, l);
        }
        Dataset data(std::move(samples), std::move(targets));
        data.name = "csv:" + m_path;
        data.classes = classIndices ? std::int64_t(maxLabel) + 1 : 0;
        data.sourceFile = m_path;
        data.sourceLines = std::make_shared<const std::vector<std::int64_t>>(std::move(m_lines));
        return data;
    }

    Status error(const std::string& message) const {
        return Status::error(m_path + ":" + std::to_string(m_line) + ": " + message);
    }
    // For the line after the last one taken, which is too long to take.
    Status lineTooLong() const {
        return Status::error(m_path + ":" + std::to_string(m_line + 1) + ": a line longer than " +
                             nc::core::describeByteCount(kMaxLineBytes) + " (is this a CSV file?)");
    }

private:
    // The first row fixes the columns; names in every field make it a header.
    Status readFirstRow(const std::vector<std::string_view>& fields) {
        m_columns = fields.size();
        m_labelColumn = m_columns - 1;
        if (m_columns < 2)
            return error("needs at least one feature and a label");
        if (std::int64_t(m_columns - 1) != m_features)
            return Status::error(m_path + ": rows have " + std::to_string(m_columns - 1) +
                                 " features, but the Input expects " + std::to_string(m_features));
        m_header = true;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            float probe = 0;
            m_header = m_header && !parseNumber(fields[i], probe);
            if (fields[i] == "label")
                m_labelColumn = i;
        }
        if (!m_header)
            m_labelColumn = m_columns - 1;
        return Status::ok();
    }

    std::string m_path;
    std::int64_t m_features;
    std::int64_t m_line = 0;
    std::size_t m_columns = 0, m_labelColumn = 0;
    bool m_header = false;
    std::vector<float> m_values, m_labels;
    std::vector<std::int64_t> m_lines;
};

} // namespace

Result<Dataset> loadCsv(const std::string& path, std::int64_t features) {
    Result<nc::core::InputFile> file = nc::core::InputFile::open(path);
    if (!file)
        return file.status();
    const std::string tooLarge = path + ": the file is larger than " +
                                 nc::core::describeByteCount(kMaxFileBytes) + ", the most allowed";
    if (file.value().size() && *file.value().size() > kMaxFileBytes)
        return Status::error(tooLarge);
    CsvParser parser(path, features);
    std::string buffer; // the start of a line whose end has not been read yet, then a chunk
    std::uint64_t total = 0;
    for (;;) {
        const std::size_t kept = buffer.size();
        Result<std::size_t> got = file.value().read(std::size_t(1) << 20, buffer);
        if (!got)
            return got.status();
        total += got.value();
        if (total > kMaxFileBytes)
            return Status::error(tooLarge);
        const bool end = got.value() == 0;
        std::size_t start = 0;
        for (std::size_t newline = buffer.find('\n', kept); newline != std::string::npos;
             newline = buffer.find('\n', start)) {
            if (Status s = parser.addLine(std::string_view(buffer).substr(start, newline - start));
                !s)
                return s;
            start = newline + 1;
        }
        buffer.erase(0, start);
        if (end) {
            if (!buffer.empty())
                if (Status s = parser.addLine(buffer); !s)
                    return s;
            break;
        }
        if (buffer.size() > kMaxLineBytes)
            return parser.lineTooLong();
    }
    return parser.finish();
}

Result<Dataset> readCsvBytes(std::string_view text, const std::string& name,
                             std::int64_t features) {
    CsvParser parser(name, features);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t newline = text.find('\n', start);
        if (newline == std::string_view::npos)
            newline = text.size();
        if (newline - start > kMaxLineBytes)
            return parser.lineTooLong();
        if (Status s = parser.addLine(text.substr(start, newline - start)); !s)
            return s;
        start = newline + 1;
    }
    return parser.finish();
}

} // namespace nc::engine
