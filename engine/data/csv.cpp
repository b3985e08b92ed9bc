// Numeric CSV datasets: one sample per row, features then a label column. A first row with
// any non-numeric field is a header; its "label" column (if any) is the label, otherwise
// the last column is.

#include "loaders.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <vector>

namespace nc::engine {

using nc::core::Status;

namespace {

std::vector<std::string> splitFields(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    for (char c : line) {
        if (c == ',') {
            fields.push_back(field);
            field.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    fields.push_back(field);
    for (std::string& f : fields) {
        f.erase(0, f.find_first_not_of(" \t"));
        f.erase(f.find_last_not_of(" \t") + 1);
    }
    return fields;
}

bool parseNumber(const std::string& text, float& value) {
    if (text.empty())
        return false;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    return ec == std::errc() && ptr == end && std::isfinite(value);
}

} // namespace

Result<Dataset> loadCsv(const std::string& path, std::int64_t features) {
    std::ifstream file(path);
    if (!file)
        return Status::error("cannot open " + path);
    std::vector<float> values, labels;
    std::string line;
    std::size_t columns = 0, labelColumn = 0;
    long lineNumber = 0;
    while (std::getline(file, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        std::vector<std::string> fields = splitFields(line);
        if (columns == 0) {
            columns = fields.size();
            labelColumn = columns - 1;
            float probe = 0;
            bool header = false;
            for (std::size_t i = 0; i < fields.size(); ++i) {
                header = header || !parseNumber(fields[i], probe);
                if (fields[i] == "label")
                    labelColumn = i;
            }
            if (columns < 2)
                return Status::error(path + ":" + std::to_string(lineNumber) +
                                     ": needs at least one feature and a label");
            if (std::int64_t(columns - 1) != features)
                return Status::error(path + ": rows have " + std::to_string(columns - 1) +
                                     " features, but the Input expects " +
                                     std::to_string(features));
            if (header)
                continue;
        }
        if (fields.size() != columns)
            return Status::error(path + ":" + std::to_string(lineNumber) + ": expected " +
                                 std::to_string(columns) + " fields, found " +
                                 std::to_string(fields.size()));
        for (std::size_t i = 0; i < fields.size(); ++i) {
            float v = 0;
            if (!parseNumber(fields[i], v))
                return Status::error(path + ":" + std::to_string(lineNumber) + ": field " +
                                     std::to_string(i + 1) + " \"" + fields[i] +
                                     "\" is not a number");
            (i == labelColumn ? labels : values).push_back(v);
        }
    }
    if (labels.empty())
        return Status::error(path + ": no data rows");
    Dataset data;
    data.name = "csv:" + path;
    const std::int64_t n = std::int64_t(labels.size());
    data.samples = Tensor({n, features});
    data.targets = Tensor({n, 1});
    std::copy(values.begin(), values.end(), data.samples.data());
    std::copy(labels.begin(), labels.end(), data.targets.data());
    bool classIndices = true;
    float maxLabel = 0;
    for (float l : labels) {
        classIndices = classIndices && l >= 0 && l == std::floor(l) && l < 100000;
        maxLabel = std::max(maxLabel, l);
    }
    data.classes = classIndices ? std::int64_t(maxLabel) + 1 : 0;
    return data;
}

} // namespace nc::engine
