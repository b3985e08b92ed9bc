#pragma once
// User text (graph and node names, file stems, data specs) on its way into generated Python.
// Nothing a user named ever reaches Python source raw: it becomes a string literal, escaped
// text for a comment or docstring, or an identifier that no Python keyword, builtin,
// nn.Module attribute or name of the generated code can be.
//
//   pythonStringLiteral("say \"hi\"\n")      -> "say \"hi\"\n"  (a literal with that text)
//   pythonCommentText("a\nb")                -> a\nb            (one line, printable ASCII)
//   PythonIdentifiers attrs(pythonReservedNames(kPytorchSupportSource));
//   attrs.keepSafe({"conv1", "my layer"});   // conv1 stays conv1
//   attrs.of("my layer")                     -> my_layer; attrs.of("forward") -> forward_2

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace nc::engine {

// A double-quoted Python literal holding `text` exactly: backslash, both quotes and every
// control character escaped, non-ASCII code points as \u/\U escapes, and each byte of
// invalid UTF-8 as \udcXX (Python's surrogateescape), so the result is printable ASCII.
std::string pythonStringLiteral(std::string_view text);

// `text` as the inside of that literal: printable ASCII with no newline and no unescaped
// quote, safe in a `# comment`, inside a docstring, and in Markdown prose.
std::string pythonCommentText(std::string_view text);

// What generated code must never use for a name of its own: keywords and soft keywords,
// builtins, nn.Module's attributes and methods, the names the generated model class defines,
// and every top-level name `supportSource` (model.py's support code) defines or imports.
std::set<std::string> pythonReservedNames(std::string_view supportSource);

// Maps arbitrary names to unique valid Python identifiers, each avoiding `reserved` and not
// starting with '_' (so never mangled as __name, never one of nn.Module's private
// attributes). A name keeps itself when it is already such an identifier; any other becomes
// its bytes with everything but [A-Za-z0-9_] as '_' (prefixed "node_" when that starts with a
// digit or '_'), then "_2", "_3", ... until it is free. The same name always maps the same.
class PythonIdentifiers {
public:
    explicit PythonIdentifiers(std::set<std::string> reserved);

    // Claims the names that can stay as they are first, so renamed ones never take them.
    void keepSafe(const std::vector<std::string>& names);
    // The identifier for `name`, claimed on first use.
    const std::string& of(const std::string& name);
    // A new identifier based on `hint` every call (for values: two may share a hint).
    std::string fresh(const std::string& hint);
    // Reserves `identifier` for the caller (it is never handed out after this).
    void reserve(const std::string& identifier) { m_taken.insert(identifier); }

private:
    bool isFree(const std::string& identifier) const;

    std::set<std::string> m_taken;
    std::map<std::string, std::string> m_given; // name -> identifier
};

} // namespace nc::engine
