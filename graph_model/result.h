#pragma once
// Status and Result<T>: fallible work returns one of these with a message a user can read,
// instead of throwing. Exceptions from third-party code are caught at the boundary.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace nc::graph {

class Status {
public:
    static Status ok() { return Status(); }
    static Status error(std::string message) { return Status(std::move(message)); }

    bool isOk() const { return !m_error.has_value(); }
    explicit operator bool() const { return isOk(); }
    const std::string& message() const {
        static const std::string empty;
        return m_error ? *m_error : empty;
    }

private:
    Status() = default;
    explicit Status(std::string message) : m_error(std::move(message)) {}
    std::optional<std::string> m_error;
};

template <typename T> class Result {
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

private:
    std::variant<T, Status> m_state;
};

} // namespace nc::graph
