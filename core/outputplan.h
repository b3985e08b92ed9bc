#pragma once
// Every file a command will write, checked before it writes any of them, so that a command
// never destroys what it did not create:
//   - an output is never one of the command's own inputs (compared by device and inode, so a
//     second name or a link to the same file is caught too), not even with --force;
//   - no two outputs name the same file;
//   - each output's folder exists and can be written in, so a command with several outputs
//     does not write the first and then fail on the second;
//   - an existing file is replaced only when the user said so (--force, or the window's
//     overwrite question), and never when it is read-only;
//   - a folder, block device or socket is refused. A FIFO or character device (/dev/null, a
//     terminal) is written through by writeFileAtomically, and so needs no --force.
//
//   OutputPlan plan(o.has("force"));
//   plan.input(graphPath, "GRAPH");
//   plan.output(o.text("onnx"), "--onnx");
//   if (Status s = plan.check(); !s) return usageError(s);

#include "status.h"

#include <string>
#include <vector>

namespace nc::core {

class OutputPlan {
public:
    explicit OutputPlan(bool replaceExisting) : m_replaceExisting(replaceExisting) {}

    // A file the command reads; `role` names it in messages ("GRAPH", "--weights").
    void input(std::string path, std::string role);
    // A file the command will write; `role` names it in messages ("--onnx", "model.py in
    // --pytorch").
    void output(std::string path, std::string role);
    // A folder the command will create if it is missing, and write outputs in: an existing
    // one must be a folder it can write in, a missing one must be creatable.
    void outputFolder(std::string path, std::string role);

    // The first problem, as an I/O error naming the option and the file; ok when every output
    // may be written.
    Status check() const;

private:
    struct Entry {
        std::string path;
        std::string role;
    };
    Status checkOne(const Entry& out) const;
    Status checkFolder(const Entry& folder) const;
    bool isPlannedFolder(const std::string& path) const;

    bool m_replaceExisting;
    std::vector<Entry> m_inputs;
    std::vector<Entry> m_outputs;
    std::vector<Entry> m_folders;
};

} // namespace nc::core
