#include "graph.h"

#include <cassert>

#include "layerregistry.h"
#include "noderefs.h"
#include "core/utf8.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace nc::graph {

namespace {

std::string lowercase(std::string s) {
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

const std::vector<Edge> kNoEdges;

} // namespace

std::string describeNode(const Node& node) {
    return node.type + " \"" + node.name + "\"";
}

Status validateNodeName(const std::string& name) {
    if (name.empty())
        return Status::error("a name cannot be empty");
    if (name.size() > 64)
        return Status::error("a name can be at most 64 bytes long");
    if (!nc::core::isValidUtf8(name))
        return Status::error("a name must be valid UTF-8 text");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f)
            return Status::error("a name cannot contain control characters");
    if (name.front() == ' ' || name.back() == ' ')
        return Status::error("a name cannot start or end with a space");
    return Status::ok();
}

Graph::Graph(const Graph& other)
    : m_nodes(other.m_nodes), m_byName(other.m_byName), m_holders(other.m_holders),
      m_nextId(other.m_nextId), m_training(other.m_training) {
    indexSlots();
}

Graph& Graph::operator=(const Graph& other) {
    if (this != &other) {
        m_nodes = other.m_nodes;
        indexSlots();
        m_byName = other.m_byName;
        m_holders = other.m_holders;
        m_nextId = other.m_nextId;
        m_training = other.m_training;
        notify(makeChange(GraphReset));
    }
    return *this;
}

// A map's elements keep their addresses when it is moved, so the index stays valid.
Graph::Graph(Graph&& other) noexcept
    : m_nodes(std::move(other.m_nodes)), m_slots(std::move(other.m_slots)), m_byName(std::move(other.m_byName)),
      m_holders(std::move(other.m_holders)), m_nextId(other.m_nextId),
      m_training(std::move(other.m_training)) {}

Graph& Graph::operator=(Graph&& other) noexcept {
    m_nodes = std::move(other.m_nodes);
    m_slots = std::move(other.m_slots);
    m_byName = std::move(other.m_byName);
    m_holders = std::move(other.m_holders);
    m_nextId = other.m_nextId;
    m_training = std::move(other.m_training);
    notify(makeChange(GraphReset));
    return *this;
}

void Graph::indexSlots() {
    m_slots.clear();
    m_slots.reserve(m_nodes.size());
    for (auto& [id, slot] : m_nodes)
        m_slots.emplace(id, &slot);
}

Graph::Slot* Graph::slot(NodeId id) {
    auto it = m_slots.find(id);
    return it == m_slots.end() ? nullptr : it->second;
}

const Graph::Slot* Graph::slot(NodeId id) const {
    auto it = m_slots.find(id);
    return it == m_slots.end() ? nullptr : it->second;
}

const Node* Graph::node(NodeId id) const {
    const Slot* s = slot(id);
    return s ? &s->node : nullptr;
}

const Node* Graph::findByName(const std::string& name) const {
    auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : node(it->second);
}

std::vector<NodeId> Graph::referenceHolders() const {
    std::vector<NodeId> ids(m_holders.begin(), m_holders.end());
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<NodeId> Graph::nodeIds() const {
    std::vector<NodeId> ids;
    ids.reserve(m_nodes.size());
    for (const auto& [id, s] : m_nodes)
        ids.push_back(id);
    return ids;
}

std::vector<Edge> Graph::edges() const {
    std::vector<Edge> all;
    for (const auto& [id, s] : m_nodes)
        all.insert(all.end(), s.out.begin(), s.out.end());
    std::sort(all.begin(), all.end());
    return all;
}

std::optional<Edge> Graph::edgeInto(NodeId id, PortIndex inPort) const {
    for (const Edge& e : edgesInto(id))
        if (e.inPort == inPort)
            return e;
    return std::nullopt;
}

const std::vector<Edge>& Graph::edgesInto(NodeId id) const {
    const Slot* s = slot(id);
    return s ? s->in : kNoEdges;
}

const std::vector<Edge>& Graph::edgesOutOf(NodeId id) const {
    const Slot* s = slot(id);
    return s ? s->out : kNoEdges;
}

const LayerSpec& Graph::specOf(const Node& n) const {
    return *LayerRegistry::instance().find(n.type);
}

int Graph::inputCount(NodeId id) const {
    const Node* n = node(id);
    return n ? specOf(*n).inputCount(n->params) : 0;
}

int Graph::outputCount(NodeId id) const {
    const Node* n = node(id);
    return n ? int(specOf(*n).outputs.size()) : 0;
}

std::string Graph::describe(NodeId id) const {
    const Node* n = node(id);
    return n ? describeNode(*n) : "node " + std::to_string(id);
}

// Whether `to` depends on `from` through edges or node references (a node depends on the
// nodes it references, e.g. a tied deconvolution on its convolution).
bool Graph::reaches(NodeId from, NodeId to) const {
    std::unordered_multimap<NodeId, NodeId> holders; // target -> nodes referencing it
    for (NodeId id : m_holders)
        for (const NodeReference& r : nodeReferences(slot(id)->node))
            holders.emplace(r.target, id);
    std::vector<NodeId> stack{from};
    std::unordered_set<NodeId> seen{from};
    while (!stack.empty()) {
        NodeId current = stack.back();
        stack.pop_back();
        if (current == to)
            return true;
        std::vector<NodeId> next;
        for (const Edge& e : edgesOutOf(current))
            next.push_back(e.inNode);
        auto [first, last] = holders.equal_range(current);
        for (auto it = first; it != last; ++it)
            next.push_back(it->second);
        for (NodeId n : next)
            if (seen.insert(n).second)
                stack.push_back(n);
    }
    return false;
}

Status Graph::canConnect(const Edge& e) const {
    const Node* out = node(e.outNode);
    const Node* in = node(e.inNode);
    if (!out)
        return Status::error("there is no node " + std::to_string(e.outNode) + " to connect from");
    if (!in)
        return Status::error("there is no node " + std::to_string(e.inNode) + " to connect to");
    if (e.outNode == e.inNode)
        return Status::error("a layer cannot feed itself");
    const LayerSpec& outSpec = specOf(*out);
    const LayerSpec& inSpec = specOf(*in);
    if (e.outPort < 0 || e.outPort >= int(outSpec.outputs.size()))
        return Status::error(describeNode(*out) + " has no output port " +
                             std::to_string(e.outPort));
    int inputs = inSpec.inputCount(in->params);
    if (e.inPort < 0 || e.inPort >= inputs)
        return Status::error(
            describeNode(*in) +
            (inputs == 0 ? " takes no inputs" : " has no input port " + std::to_string(e.inPort)));
    const PortSpec& outPort = outSpec.outputs[std::size_t(e.outPort)];
    if (outPort.type != inSpec.inputType(e.inPort))
        return Status::error("\"" + outPort.name + "\" of " + describeNode(*out) +
                             " is a loss; a loss feeds no other layer");
    if (auto existing = edgeInto(e.inNode, e.inPort)) {
        if (*existing == e)
            return Status::error("these ports are already connected");
        return Status::error("input \"" + inSpec.inputName(e.inPort) + "\" of " +
                             describeNode(*in) + " is already fed by " +
                             describe(existing->outNode) + "; disconnect that first");
    }
    if (reaches(e.inNode, e.outNode))
        return Status::error("connecting " + describeNode(*out) + " to " + describeNode(*in) +
                             " would make a loop");
    return Status::ok();
}

Status Graph::canSetParam(NodeId id, const std::string& name, const ParamValue& value) const {
    const Slot* s = slot(id);
    if (!s)
        return Status::error("there is no node " + std::to_string(id));
    if (Status check = checkParam(s->node, name, value); !check)
        return Status::error(describeNode(s->node) + ": " + check.message());
    return Status::ok();
}

Status Graph::canRename(NodeId id, const std::string& name) const {
    if (!slot(id))
        return Status::error("there is no node " + std::to_string(id));
    return checkName(name, id);
}

std::string Graph::uniqueName(const std::string& base) const {
    std::string stem = lowercase(base);
    for (int n = 1;; ++n) {
        std::string candidate = stem + "_" + std::to_string(n);
        if (!findByName(candidate))
            return candidate;
    }
}

Status Graph::checkName(const std::string& name, NodeId self) const {
    if (Status s = validateNodeName(name); !s)
        return s;
    const Node* other = findByName(name);
    if (other && other->id != self)
        return Status::error("the name \"" + name + "\" is already used by " +
                             describeNode(*other));
    return Status::ok();
}

Status Graph::checkParam(const Node& n, const std::string& name, const ParamValue& value) const {
    const LayerSpec& spec = specOf(n);
    const ParamSpec* p = spec.findParam(name);
    if (!p)
        return Status::error(spec.type + " has no parameter \"" + name + "\"");
    if (Status s = validateParam(*p, value); !s)
        return s;
    if (spec.variadicInputs && name == "inputs") {
        auto count = std::get<std::int64_t>(value);
        for (const Edge& e : edgesInto(n.id))
            if (e.inPort >= count)
                return Status::error("inputs: disconnect input " + std::to_string(e.inPort + 1) +
                                     " before reducing the inputs to " + std::to_string(count));
    }
    if (p->kind == ParamKind::NodeRef && std::holds_alternative<std::int64_t>(value)) {
        NodeId target = std::get<std::int64_t>(value);
        const Node* referenced = node(target);
        if (!referenced)
            return Status::error(name + ": there is no node " + std::to_string(target));
        if (!refAllows(*p, referenced->type))
            return Status::error(name + ": " + describeNode(*referenced) + " is not a " +
                                 describeRefTypes(*p));
        if (reaches(n.id, target))
            return Status::error(name + ": " + describeNode(*referenced) + " is downstream of " +
                                 describeNode(n) + ", so " + p->refAction + " would make a loop");
    }
    return Status::ok();
}

Result<NodeId> Graph::addNode(const std::string& type, Position position, std::string name) {
    const LayerSpec* spec = LayerRegistry::instance().find(type);
    if (!spec)
        return Status::error("unknown layer type \"" + type + "\"");
    Node n;
    n.id = m_nextId;
    n.type = type;
    n.name = name.empty() ? uniqueName(type) : std::move(name);
    n.position = position;
    n.params = spec->defaultParams();
    NodeId id = n.id;
    if (Status s = insertNode(std::move(n)); !s)
        return s;
    return id;
}

Status Graph::insertNode(Node n) {
    const LayerSpec* spec = LayerRegistry::instance().find(n.type);
    if (!spec)
        return Status::error("unknown layer type \"" + n.type + "\"");
    if (n.id <= 0)
        return Status::error("node ids must be positive, got " + std::to_string(n.id));
    if (node(n.id))
        return Status::error("node id " + std::to_string(n.id) + " is already used by " +
                             describe(n.id));
    if (Status s = checkName(n.name, n.id); !s)
        return s;
    ParamMap complete;
    for (const ParamSpec& p : spec->params) {
        const ParamValue* given = n.params.find(p.name);
        ParamValue value = given ? *given : p.defaultValue;
        if (Status s = validateParam(p, value); !s)
            return Status::error(describeNode(n) + ": " + s.message());
        complete.set(p.name, std::move(value));
    }
    for (const auto& [key, value] : n.params.entries())
        if (!spec->findParam(key))
            return Status::error(describeNode(n) + ": " + spec->type + " has no parameter \"" +
                                 key + "\"");
    n.params = std::move(complete);
    NodeId id = n.id;
    m_nextId = std::max(m_nextId, id + 1);
    m_byName.emplace(n.name, id);
    if (!nodeReferences(n).empty())
        m_holders.insert(id);
    Slot& added = m_nodes.emplace(id, Slot{std::move(n), {}, {}}).first->second;
    m_slots.emplace(id, &added);
    notify(makeChange(NodeAdded, id));
    return Status::ok();
}

Status Graph::removeNode(NodeId id) {
    Slot* s = slot(id);
    if (!s)
        return Status::error("there is no node " + std::to_string(id));
    std::vector<Edge> incident = s->in;
    incident.insert(incident.end(), s->out.begin(), s->out.end());
    for (const Edge& e : incident) {
        [[maybe_unused]] const Status removed = disconnect(e); // e is known to exist
        assert(removed);
    }
    m_byName.erase(s->node.name);
    m_holders.erase(id);
    m_slots.erase(id);
    m_nodes.erase(id);
    notify(makeChange(NodeRemoved, id));
    return Status::ok();
}

Status Graph::connect(const Edge& e) {
    if (Status s = canConnect(e); !s)
        return s;
    slot(e.outNode)->out.push_back(e);
    slot(e.inNode)->in.push_back(e);
    notify(makeChange(EdgeAdded, e.inNode, e));
    return Status::ok();
}

Status Graph::disconnect(const Edge& e) {
    Slot* out = slot(e.outNode);
    Slot* in = slot(e.inNode);
    auto erase = [&e](std::vector<Edge>& v) {
        auto it = std::find(v.begin(), v.end(), e);
        if (it == v.end())
            return false;
        v.erase(it);
        return true;
    };
    if (!out || !in || !erase(out->out))
        return Status::error("those ports are not connected");
    erase(in->in);
    notify(makeChange(EdgeRemoved, e.inNode, e));
    return Status::ok();
}

Status Graph::setParam(NodeId id, const std::string& name, ParamValue value) {
    if (Status check = canSetParam(id, name, value); !check)
        return check;
    Slot* s = slot(id);
    if (const ParamValue* old = s->node.params.find(name); old && *old == value)
        return Status::ok();
    s->node.params.set(name, std::move(value));
    if (nodeReferences(s->node).empty())
        m_holders.erase(id);
    else
        m_holders.insert(id);
    notify(makeChange(ParamChanged, id, {}, name));
    return Status::ok();
}

Status Graph::rename(NodeId id, const std::string& name) {
    Slot* s = slot(id);
    if (!s)
        return Status::error("there is no node " + std::to_string(id));
    if (s->node.name == name)
        return Status::ok();
    if (Status check = checkName(name, id); !check)
        return check;
    m_byName.erase(s->node.name);
    m_byName.emplace(name, id);
    s->node.name = name;
    notify(makeChange(NodeRenamed, id));
    return Status::ok();
}

Status Graph::move(NodeId id, Position position) {
    Slot* s = slot(id);
    if (!s)
        return Status::error("there is no node " + std::to_string(id));
    if (!std::isfinite(position.x) || !std::isfinite(position.y))
        return Status::error("a position must be finite");
    s->node.position = position;
    notify(makeChange(NodeMoved, id));
    return Status::ok();
}

void Graph::setTraining(std::optional<TrainingSettings> settings) {
    m_training = std::move(settings);
    notify(makeChange(SettingsChanged));
}

void Graph::reserveIdsBelow(NodeId next) {
    m_nextId = std::max(m_nextId, next);
}

Status Graph::restoreNextId(NodeId next) {
    if (!m_nodes.empty() && m_nodes.rbegin()->first >= next)
        return Status::error("node " + std::to_string(m_nodes.rbegin()->first) +
                             " still uses an id at or above " + std::to_string(next));
    m_nextId = std::max<NodeId>(next, 1);
    return Status::ok();
}

Graph::ListenerId Graph::addListener(Listener listener) {
    m_listeners.emplace_back(m_nextListener, std::move(listener));
    return m_nextListener++;
}

void Graph::removeListener(ListenerId id) {
    std::erase_if(m_listeners, [id](const auto& entry) { return entry.first == id; });
}

void Graph::notify(const GraphChange& change) {
    // Copy: a listener may add or remove listeners.
    auto listeners = m_listeners;
    for (const auto& [id, listener] : listeners)
        listener(change);
}

} // namespace nc::graph
