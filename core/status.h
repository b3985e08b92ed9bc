#pragma once
// Status and Result<T>: fallible work returns one of these with a message a user can read,
// instead of throwing. Exceptions from third-party code are caught at the boundary. Both are
// [[nodiscard]]: dropping one on the floor is a compile error under -Werror.
//
// An error is either about the input (Status::error: the file or value is invalid) or about
// reaching it (Status::ioError: missing, unreadable, a folder where a file was expected), so
// a command can tell "fix your data" (exit 1) from "fix your command or disk" (exit 2). A
// device that ran out of memory says so (Status::outOfMemory), so training can go on on the
// CPU. Pass a failure on with `return result.status();`, or with `s.prefixed("conv1: ")`
// to add where it happened, to keep its kind.
//
//   Result<int> r = parseInt("42", "--epochs");
//   if (!r) return Status::error(r.message());
//   use(r.value());

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <source_location>
#include <string>
#include <utility>
#include <variant>

namespace nc::core {

class [[nodiscard]] Status {
public:
    static Status ok() { return Status(); }
    static Status error(std::string message) { return Status(std::move(message), Kind::Input); }
    static Status ioError(std::string message) { return Status(std::move(message), Kind::Io); }
    static Status outOfMemory(std::string message) {
        return Status(std::move(message), Kind::OutOfMemory);
    }

    bool isOk() const { return !m_error.has_value(); }
    explicit operator bool() const { return isOk(); }
    bool isIoError() const { return m_error.has_value() && m_kind == Kind::Io; }
    bool isOutOfMemory() const { return m_error.has_value() && m_kind == Kind::OutOfMemory; }
    // The same failure, of the same kind, with `prefix` before its message (ok stays ok).
    Status prefixed(const std::string& prefix) const {
        return m_error ? Status(prefix + *m_error, m_kind) : Status();
    }
    const std::string& message() const {
        static const std::string empty;
        return m_error ? *m_error : empty;
    }

private:
    enum class Kind { Input, Io, OutOfMemory };
    Status() = default;
    Status(std::string message, Kind kind) : m_error(std::move(message)), m_kind(kind) {}
    std::optional<std::string> m_error;
    Kind m_kind = Kind::Input;
};

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Status error) : m_state(std::move(error)) {}

    bool isOk() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return isOk(); }
    const T& value() const& { return std::get<T>(m_state); }
    T& value() & { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const std::string& message() const {
        static const std::string empty;
        return isOk() ? empty : std::get<Status>(m_state).message();
    }
    // The error as a Status (ok when there is a value).
    Status status() const { return isOk() ? Status::ok() : std::get<Status>(m_state); }

private:
    std::variant<T, Status> m_state;
};

#if defined(__cpp_lib_source_location)
using SourceLocation = std::source_location;
#else
// Clang 14 with libstdc++ 12 (make fuzz) has no std::source_location; the two fields used.
struct SourceLocation {
    static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                            unsigned line = __builtin_LINE()) noexcept {
        return {file, line};
    }
    constexpr const char* file_name() const noexcept { return m_file; }
    constexpr unsigned line() const noexcept { return m_line; }
    const char* m_file;
    unsigned m_line;
};
#endif

// For work whose input is valid by construction (test fixtures, benchmarks): a failure is a
// programming error, so it stops the program with the message and the caller's location.
inline void require(const Status& status, SourceLocation where = SourceLocation::current()) {
    if (!status) {
        std::fprintf(stderr, "%s:%u: required step failed: %s\n", where.file_name(),
                     unsigned(where.line()), status.message().c_str());
        std::abort();
    }
}

template <typename T>
T require(Result<T> result, SourceLocation where = SourceLocation::current()) {
    require(result.status(), where);
    return std::move(result).value();
}

} // namespace nc::core
