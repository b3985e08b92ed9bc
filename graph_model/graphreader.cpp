#include "graphjson.h"

#include "core/atomicwrite.h"
#include "jsonparse.h"
#include "jsonstyle.h"
#include "layerregistry.h"

#include <cmath>
#include <functional>
#include <limits>

namespace nc::graph {

namespace {

constexpr std::size_t kMaxProblems = 20;

std::string jsonType(const OrderedJson& j) {
    switch (j.type()) {
    case OrderedJson::value_t::null:
        return "null";
    case OrderedJson::value_t::boolean:
        return "true/false";
    case OrderedJson::value_t::number_integer:
    case OrderedJson::value_t::number_unsigned:
        return "an integer";
    case OrderedJson::value_t::number_float:
        return "a number";
    case OrderedJson::value_t::string:
        return "a string";
    case OrderedJson::value_t::array:
        return "an array";
    case OrderedJson::value_t::object:
        return "an object";
    default:
        return "an unsupported value";
    }
}

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& w : words)
        text += (text.empty() ? "" : ", ") + w;
    return text;
}

// Every problem found, each with its JSON path; the first kMaxProblems are reported.
class Problems {
public:
    void add(const std::string& path, const std::string& message) {
        ++m_count;
        if (m_lines.size() < kMaxProblems)
            m_lines.push_back(path.empty() ? message : path + ": " + message);
    }
    bool any() const { return m_count > 0; }
    Status toStatus(const std::string& source) const {
        if (m_count == 1)
            return Status::error(source + ": " + m_lines.front());
        std::string text = source + ": " + std::to_string(m_count) + " problems:";
        for (const std::string& line : m_lines)
            text += "\n  " + line;
        if (m_count > m_lines.size())
            text += "\n  ... and " + std::to_string(m_count - m_lines.size()) + " more";
        return Status::error(text);
    }

private:
    std::vector<std::string> m_lines;
    std::size_t m_count = 0;
};

bool checkKeys(const OrderedJson& object, const std::vector<std::string>& allowed,
               const std::string& path, Problems& problems) {
    bool ok = true;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
            problems.add(path,
                         "unknown key \"" + it.key() + "\" (expected " + joined(allowed) + ")");
            ok = false;
        }
    }
    return ok;
}

std::optional<std::int64_t> asInteger(const OrderedJson& j) {
    if (j.is_number_integer() && !j.is_number_unsigned())
        return j.get<std::int64_t>();
    if (j.is_number_unsigned() && j.get<std::uint64_t>() <= std::uint64_t(INT64_MAX))
        return std::int64_t(j.get<std::uint64_t>());
    return std::nullopt;
}

std::optional<IntList> asIntList(const OrderedJson& j) {
    if (!j.is_array())
        return std::nullopt;
    IntList list;
    for (const OrderedJson& item : j) {
        std::optional<std::int64_t> v = asInteger(item);
        if (!v)
            return std::nullopt;
        list.push_back(*v);
    }
    return list;
}

// Converts by the parameter's kind, then checks the value against its schema.
Result<ParamValue> paramFromJson(const ParamSpec& spec, const OrderedJson& j) {
    std::optional<ParamValue> value;
    if (j.is_null())
        value = std::monostate{};
    else if (spec.kind == ParamKind::Bool && j.is_boolean())
        value = j.get<bool>();
    else if ((spec.kind == ParamKind::Int || spec.kind == ParamKind::NodeRef) && asInteger(j))
        value = *asInteger(j);
    else if (spec.kind == ParamKind::Float && j.is_number())
        value = j.get<double>();
    else if ((spec.kind == ParamKind::Choice || spec.kind == ParamKind::Padding) && j.is_string())
        value = j.get<std::string>();
    else if ((spec.kind == ParamKind::IntTuple || spec.kind == ParamKind::TensorShape ||
              spec.kind == ParamKind::Padding) &&
             asIntList(j))
        value = *asIntList(j);
    if (!value)
        return Status::error("expected " + describeParamKind(spec) + ", got " + jsonType(j));
    Status s = validateParam(spec, *value);
    if (!s) // drop the "name: " prefix, the path already names the parameter
        return Status::error(s.message().substr(spec.name.size() + 2));
    return *value;
}

class GraphReader {
public:
    explicit GraphReader(Problems& problems) : m_problems(problems) {}

    // One element of "nodes" or "edges" each; edges after every node.
    void readNodeAt(std::size_t index, const OrderedJson& element);
    void readEdgeAt(std::size_t index, const OrderedJson& element);
    // The whole arrays: each element's JSON is freed once it is read, so the graph reuses
    // that memory.
    void readNodes(OrderedJson& nodes);
    void readEdges(OrderedJson& edges);
    void readTraining(const OrderedJson& training);
    Graph& graph() { return m_graph; }

private:
    std::optional<Node> readNode(const OrderedJson& j, const std::string& path);
    std::optional<std::pair<NodeId, PortIndex>> readPortRef(const OrderedJson& j,
                                                            const std::string& path, bool output);

    Problems& m_problems;
    Graph m_graph;
    // Ids of nodes that were in the file but could not be read: edges touching them are
    // skipped quietly, since their problem is already reported.
    std::vector<NodeId> m_rejected;
    bool m_nodesReadable = true;
};

std::optional<Node> GraphReader::readNode(const OrderedJson& j, const std::string& path) {
    if (!j.is_object()) {
        m_problems.add(path, "expected an object, got " + jsonType(j));
        return std::nullopt;
    }
    bool ok = checkKeys(j, {"id", "type", "name", "position", "params"}, path, m_problems);
    Node node;
    std::optional<std::int64_t> id = j.contains("id") ? asInteger(j["id"]) : std::nullopt;
    if (!id || *id < 1 || *id > (std::int64_t(1) << 53)) {
        m_nodesReadable = false; // edges cannot tell which node they meant
        m_problems.add(path + ".id", j.contains("id")
                                         ? "expected a positive integer id, got " + j["id"].dump()
                                         : "missing (a positive integer)");
        ok = false;
    } else {
        node.id = *id;
        m_rejected.push_back(node.id); // until it is inserted
    }
    const LayerSpec* spec = nullptr;
    if (!j.contains("type") || !j["type"].is_string()) {
        m_problems.add(path + ".type", "expected a layer type string");
        return std::nullopt;
    }
    node.type = j["type"].get<std::string>();
    spec = LayerRegistry::instance().find(node.type);
    if (!spec) {
        std::vector<std::string> known;
        for (const LayerSpec& s : LayerRegistry::instance().specs())
            known.push_back(s.type);
        m_problems.add(path + ".type",
                       "unknown layer type \"" + node.type + "\" (known: " + joined(known) + ")");
        return std::nullopt;
    }
    if (j.contains("name") && j["name"].is_string()) {
        node.name = j["name"].get<std::string>();
        if (Status s = validateNodeName(node.name); !s) {
            m_problems.add(path + ".name", s.message());
            ok = false;
        }
    } else {
        m_problems.add(path + ".name", "expected a name string");
        ok = false;
    }
    if (j.contains("position")) {
        const OrderedJson& p = j["position"];
        if (p.is_array() && p.size() == 2 && p[0].is_number() && p[1].is_number() &&
            std::isfinite(p[0].get<double>()) && std::isfinite(p[1].get<double>())) {
            node.position = {p[0].get<double>(), p[1].get<double>()};
        } else {
            m_problems.add(path + ".position", "expected [x, y] with two finite numbers");
            ok = false;
        }
    }
    if (j.contains("params")) {
        const OrderedJson& params = j["params"];
        if (!params.is_object()) {
            m_problems.add(path + ".params", "expected an object, got " + jsonType(params));
            return std::nullopt;
        }
        for (auto it = params.begin(); it != params.end(); ++it) {
            const ParamSpec* p = spec->findParam(it.key());
            std::string where = path + ".params." + it.key();
            if (!p) {
                std::vector<std::string> names;
                for (const ParamSpec& known : spec->params)
                    names.push_back(known.name);
                m_problems.add(where, node.type + " has no parameter \"" + it.key() + "\"" +
                                          (names.empty() ? " (it takes none)"
                                                         : " (it takes " + joined(names) + ")"));
                ok = false;
                continue;
            }
            Result<ParamValue> value = paramFromJson(*p, *it);
            if (!value) {
                m_problems.add(where, value.message());
                ok = false;
                continue;
            }
            node.params.set(p->name, std::move(value).value());
        }
    }
    return ok ? std::optional<Node>(std::move(node)) : std::nullopt;
}

void GraphReader::readNodeAt(std::size_t index, const OrderedJson& element) {
    const std::string path = "nodes[" + std::to_string(index) + "]";
    std::optional<Node> node = readNode(element, path);
    if (!node)
        return;
    NodeId id = node->id;
    bool duplicate = m_graph.node(id) != nullptr;
    if (Status s = m_graph.insertNode(std::move(*node)); !s) {
        m_problems.add(path, s.message());
        if (duplicate) // edges to this id would reach the other node; stop them all
            m_nodesReadable = false;
    } else {
        std::erase(m_rejected, id);
    }
}

void GraphReader::readNodes(OrderedJson& nodes) {
    if (!nodes.is_array()) {
        m_problems.add("nodes", "expected an array, got " + jsonType(nodes));
        m_nodesReadable = false;
        return;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const OrderedJson element = std::move(nodes[i]); // freed at the end of this round
        readNodeAt(i, element);
    }
}

std::optional<std::pair<NodeId, PortIndex>>
GraphReader::readPortRef(const OrderedJson& j, const std::string& path, bool output) {
    if (!j.is_array() || j.size() != 2 || !asInteger(j[0]) || !j[1].is_string()) {
        m_problems.add(path, "expected [node id, \"port name\"], got " + j.dump());
        return std::nullopt;
    }
    NodeId id = *asInteger(j[0]);
    std::string port = j[1].get<std::string>();
    if (std::find(m_rejected.begin(), m_rejected.end(), id) != m_rejected.end())
        return std::nullopt;
    const Node* node = m_graph.node(id);
    if (!node) {
        m_problems.add(path, "there is no node with id " + std::to_string(id));
        return std::nullopt;
    }
    const LayerSpec& spec = m_graph.specOf(*node);
    std::vector<std::string> names;
    int count = output ? int(spec.outputs.size()) : spec.inputCount(node->params);
    for (PortIndex p = 0; p < count; ++p) {
        names.push_back(output ? spec.outputs[std::size_t(p)].name : spec.inputName(p));
        if (names.back() == port)
            return std::make_pair(id, p);
    }
    m_problems.add(path, describeNode(*node) + " has no " + (output ? "output" : "input") +
                             " port \"" + port + "\"" +
                             (names.empty() ? "" : " (ports: " + joined(names) + ")"));
    return std::nullopt;
}

void GraphReader::readEdgeAt(std::size_t index, const OrderedJson& j) {
    if (!m_nodesReadable)
        return;
    const std::string path = "edges[" + std::to_string(index) + "]";
    if (!j.is_object()) {
        m_problems.add(path, "expected an object, got " + jsonType(j));
        return;
    }
    if (!checkKeys(j, {"from", "to"}, path, m_problems))
        return;
    if (!j.contains("from") || !j.contains("to")) {
        m_problems.add(path, "needs both \"from\" and \"to\"");
        return;
    }
    auto from = readPortRef(j["from"], path + ".from", true);
    auto to = readPortRef(j["to"], path + ".to", false);
    if (!from || !to)
        return;
    if (Status s = m_graph.connect({from->first, from->second, to->first, to->second}); !s)
        m_problems.add(path, s.message());
}

void GraphReader::readEdges(OrderedJson& edges) {
    if (!edges.is_array()) {
        m_problems.add("edges", "expected an array, got " + jsonType(edges));
        return;
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const OrderedJson element = std::move(edges[i]); // freed at the end of this round
        readEdgeAt(i, element);
    }
}

void GraphReader::readTraining(const OrderedJson& j) {
    if (!j.is_object()) {
        m_problems.add("training", "expected an object, got " + jsonType(j));
        return;
    }
    TrainingSettings t;
    auto text = [&](const char* key, std::string& field, std::vector<std::string> choices) {
        if (!j.contains(key))
            return;
        const OrderedJson& v = j[key];
        bool okChoice =
            v.is_string() && (choices.empty() || std::find(choices.begin(), choices.end(),
                                                           v.get<std::string>()) != choices.end());
        if (okChoice)
            field = v.get<std::string>();
        else
            m_problems.add(std::string("training.") + key,
                           "expected " +
                               (choices.empty() ? "a string" : "one of " + joined(choices)) +
                               ", got " + v.dump());
    };
    auto number = [&](const char* key, double& field, double min, double max) {
        if (!j.contains(key))
            return;
        const OrderedJson& v = j[key];
        if (v.is_number() && v.get<double>() >= min && v.get<double>() <= max)
            field = v.get<double>();
        else
            m_problems.add(std::string("training.") + key,
                           "expected a number in " + std::to_string(min) + ".." +
                               std::to_string(max) + ", got " + v.dump());
    };
    auto integer = [&](const char* key, std::int64_t& field, std::int64_t min, std::int64_t max) {
        if (!j.contains(key))
            return;
        std::optional<std::int64_t> v = asInteger(j[key]);
        if (v && *v >= min && *v <= max)
            field = *v;
        else
            m_problems.add(std::string("training.") + key,
                           "expected an integer in " + std::to_string(min) + ".." +
                               std::to_string(max) + ", got " + j[key].dump());
    };
    checkKeys(j,
              {"data", "val_split", "epochs", "batch", "optimizer", "lr", "momentum",
               "weight_decay", "clip_grad_norm", "schedule", "seed", "threads"},
              "training", m_problems);
    text("data", t.data, {});
    number("val_split", t.valSplit, 0.0, 0.99);
    integer("epochs", t.epochs, 1, 100000);
    integer("batch", t.batch, 1, 65536);
    text("optimizer", t.optimizer, {"sgd", "momentum", "nesterov", "adam"});
    number("lr", t.lr, 0.0, 100.0);
    number("momentum", t.momentum, 0.0, 1.0);
    number("weight_decay", t.weightDecay, 0.0, 1.0);
    number("clip_grad_norm", t.clipGradNorm, 0.0, 1e6);
    text("schedule", t.schedule, {"constant", "step", "cosine"});
    integer("seed", t.seed, 0, std::numeric_limits<std::int64_t>::max());
    integer("threads", t.threads, 0, 1024);
    m_graph.setTraining(t);
}

// Upgrades an older file in place, one version at a time. Version 1 is the first, so there
// is nothing to do yet; a version 2 adds `migrations[1] = fromVersion1`.
Status migrate(OrderedJson& root, std::int64_t version) {
    static const std::vector<std::function<Status(OrderedJson&)>> migrations = {
        nullptr, // index = the version a step upgrades from; version 0 never existed
    };
    for (std::int64_t v = version; v < kGraphFormatVersion; ++v)
        if (Status s = migrations.at(std::size_t(v))(root); !s)
            return s;
    return Status::ok();
}

// Whether a document's header says it is a graph of this version: then its nodes and edges
// can be read as the parser meets them (an older version is upgraded whole, first).
bool isCurrentGraph(const OrderedJson& root) {
    if (!root.is_object() || !root.contains("format") || root["format"] != "netcanvas-graph" ||
        !root.contains("version"))
        return false;
    const std::optional<std::int64_t> version = asInteger(root["version"]);
    return version && *version == kGraphFormatVersion;
}

// Reads "nodes" and "edges" while the file is parsed, when the header comes first (as
// NetCanvas writes it), and notes which it read; the rest waits for the whole document.
class StreamingReader {
public:
    explicit StreamingReader(GraphReader& reader) : m_reader(reader) {}

    bool take(const std::string& key, std::size_t index, const OrderedJson& element,
              const OrderedJson& readSoFar) {
        if (key == "nodes" && !m_edges) {
            if (index == 0)
                m_nodes = isCurrentGraph(readSoFar);
            if (m_nodes)
                m_reader.readNodeAt(index, element);
            return m_nodes;
        }
        if (key == "edges") {
            // Only after nodes read here: they are all read once another key follows them.
            if (index == 0)
                m_edges = m_nodes && readSoFar.contains("nodes");
            if (m_edges)
                m_reader.readEdgeAt(index, element);
            return m_edges;
        }
        return false;
    }
    bool tookNodes() const { return m_nodes; }
    bool tookEdges() const { return m_edges; }

private:
    GraphReader& m_reader;
    bool m_nodes = false;
    bool m_edges = false;
};

Result<Graph> readDocument(OrderedJson& root, const std::string& source, GraphReader& reader,
                           const StreamingReader& streamed, Problems& problems) {
    if (!root.is_object())
        return Status::error(source + ": expected a JSON object at the top level, got " +
                             jsonType(root));
    if (!root.contains("format") || root["format"] != "netcanvas-graph")
        return Status::error(source +
                             ": not a NetCanvas graph (\"format\" must be \"netcanvas-graph\")");
    std::optional<std::int64_t> version =
        root.contains("version") ? asInteger(root["version"]) : std::nullopt;
    if (!version || *version < 1)
        return Status::error(source + ": \"version\" must be a positive integer");
    if (*version > kGraphFormatVersion)
        return Status::error(source + ": written by a newer NetCanvas (format version " +
                             std::to_string(*version) + "); this build reads up to version " +
                             std::to_string(kGraphFormatVersion));
    if (Status s = migrate(root, *version); !s)
        return Status::error(source + ": " + s.message());
    checkKeys(root, {"format", "version", "next_id", "nodes", "edges", "training"}, "", problems);
    if (!root.contains("nodes"))
        problems.add("nodes", "missing (an array of nodes)");
    else if (!streamed.tookNodes())
        reader.readNodes(root["nodes"]);
    if (root.contains("edges") && root.contains("nodes") && !streamed.tookEdges())
        reader.readEdges(root["edges"]);
    if (root.contains("training"))
        reader.readTraining(root["training"]);
    if (root.contains("next_id")) {
        std::optional<std::int64_t> next = asInteger(root["next_id"]);
        if (next && *next >= 1 && *next <= (std::int64_t(1) << 53))
            reader.graph().reserveIdsBelow(*next);
        else
            problems.add("next_id", "expected a positive integer, got " + root["next_id"].dump());
    }
    if (problems.any())
        return problems.toStatus(source);
    return std::move(reader.graph());
}

} // namespace

Result<Graph> graphFromJson(std::string_view text, const std::string& source) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return Status::error(source + ": the file is empty");
    Problems problems;
    GraphReader reader(problems);
    StreamingReader streaming(reader);
    try {
        Result<OrderedJson> root =
            parseJson(text, source,
                      [&streaming](const std::string& key, std::size_t index,
                                   OrderedJson& element, const OrderedJson& readSoFar) {
                          return streaming.take(key, index, element, readSoFar);
                      });
        if (!root)
            return root.status();
        return readDocument(root.value(), source, reader, streaming, problems);
    } catch (const std::exception& e) {
        return Status::error(source + ": unreadable graph: " + e.what());
    }
}

Result<Graph> loadGraphFile(const std::string& path) {
    Result<std::string> bytes = nc::core::readWholeFile(path, kMaxGraphFileBytes);
    if (!bytes)
        return bytes.status();
    return graphFromJson(bytes.value(), path);
}

} // namespace nc::graph
