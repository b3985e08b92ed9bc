#include "vocabulary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

// Bytes in a UTF-8 sequence led by `lead`, or 0 when `lead` cannot start one.
int sequenceLength(unsigned char lead) {
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 3;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    return 0;
}

char32_t codePoint(std::string_view character) {
    const auto lead = static_cast<unsigned char>(character[0]);
    if (character.size() == 1)
        return lead;
    char32_t value = lead & (0x7F >> character.size());
    for (std::size_t i = 1; i < character.size(); ++i)
        value = (value << 6) | (static_cast<unsigned char>(character[i]) & 0x3F);
    return value;
}

// A character as a message shows it: printable ones quoted, others as U+XXXX.
std::string shown(std::string_view character) {
    const char32_t c = codePoint(character);
    if (c < 0x20 || c == 0x7F) {
        char text[16];
        std::snprintf(text, sizeof text, "U+%04X", unsigned(c));
        return text;
    }
    return "'" + std::string(character) + "'";
}

// Calls visit(character, code point, index) for each UTF-8 character of `text` in turn, while
// it returns true; invalid UTF-8 is an error naming `where` and the byte offset. Nothing is
// allocated per character: a text's characters are visited, not collected.
template <typename Visit>
Status forEachCharacter(std::string_view text, std::string_view where, Visit&& visit) {
    std::size_t index = 0;
    for (std::size_t i = 0; i < text.size(); ++index) {
        const int length = sequenceLength(static_cast<unsigned char>(text[i]));
        bool valid = length > 0 && i + std::size_t(length) <= text.size();
        for (int k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(text[i + std::size_t(k)]) & 0xC0) == 0x80;
        const std::string_view character = valid ? text.substr(i, std::size_t(length)) : "";
        const char32_t c = valid ? codePoint(character) : 0;
        if (valid && length > 1) // no overlong forms, surrogates or values past U+10FFFF
            valid = !(length == 3 && c < 0x800) && !(length == 4 && c < 0x10000) &&
                    !(c >= 0xD800 && c <= 0xDFFF) && c <= 0x10FFFF;
        if (!valid)
            return Status::error(std::string(where) + ": byte " + std::to_string(i) +
                                 " is not valid UTF-8 (save the text as UTF-8)");
        if (!visit(character, c, index))
            break;
        i += std::size_t(length);
    }
    return Status::ok();
}

} // namespace

Result<std::vector<std::string>> splitCharacters(std::string_view text, std::string_view where) {
    std::vector<std::string> characters;
    Status s =
        forEachCharacter(text, where, [&](std::string_view character, char32_t, std::size_t) {
            characters.emplace_back(character);
            return true;
        });
    if (!s)
        return s;
    return characters;
}

Vocabulary::Vocabulary(std::vector<std::string> tokens) : m_tokens(std::move(tokens)) {
    m_ascii.fill(-1);
    for (std::size_t k = 0; k < m_tokens.size(); ++k) {
        const char32_t c = codePoint(m_tokens[k]);
        if (c < m_ascii.size())
            m_ascii[c] = int(k);
        else
            m_index.emplace(c, int(k));
    }
}

int Vocabulary::tokenOf(char32_t c) const {
    if (c < m_ascii.size())
        return m_ascii[c];
    auto it = m_index.find(c);
    return it == m_index.end() ? -1 : it->second;
}

Result<Vocabulary> Vocabulary::fromText(std::string_view text, std::string_view where) {
    std::array<bool, 128> ascii{};
    std::map<char32_t, std::string> others; // in code point order
    Status s =
        forEachCharacter(text, where, [&](std::string_view character, char32_t c, std::size_t) {
            if (c < ascii.size())
                ascii[c] = true;
            else if (!others.count(c))
                others.emplace(c, std::string(character));
            return true;
        });
    if (!s)
        return s;
    std::vector<std::string> tokens;
    for (std::size_t c = 0; c < ascii.size(); ++c)
        if (ascii[c])
            tokens.emplace_back(1, char(c));
    for (auto& [c, character] : others)
        tokens.push_back(std::move(character));
    if (tokens.empty())
        return Status::error(std::string(where) + ": the text is empty");
    return Vocabulary(std::move(tokens));
}

Result<Vocabulary> Vocabulary::parseJson(std::string_view json, std::string_view source) {
    const std::string where(source);
    nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return Status::error(where + ": not a JSON object");
    if (j.value("format", "") != "netcanvas-vocabulary")
        return Status::error(where + ": \"format\" is not \"netcanvas-vocabulary\"");
    if (!j.contains("version") || j["version"] != 1)
        return Status::error(where + ": unsupported \"version\" (this build reads version 1)");
    if (!j.contains("tokens") || !j["tokens"].is_array() || j["tokens"].empty())
        return Status::error(where + ": \"tokens\" must be a non-empty array of characters");
    std::vector<std::string> tokens;
    std::set<std::string> seen;
    for (std::size_t k = 0; k < j["tokens"].size(); ++k) {
        const nlohmann::json& t = j["tokens"][k];
        const std::string at = where + ": tokens[" + std::to_string(k) + "]";
        if (!t.is_string())
            return Status::error(at + " is not a string");
        Result<std::vector<std::string>> characters = splitCharacters(t.get<std::string>(), at);
        if (!characters)
            return characters.status();
        if (characters.value().size() != 1)
            return Status::error(at + " must be exactly one character");
        if (!seen.insert(t.get<std::string>()).second)
            return Status::error(at + " repeats " + shown(t.get<std::string>()));
        tokens.push_back(t.get<std::string>());
    }
    return Vocabulary(std::move(tokens));
}

std::string Vocabulary::toJson() const {
    nlohmann::json j;
    j["format"] = "netcanvas-vocabulary";
    j["version"] = 1;
    j["tokens"] = m_tokens;
    return j.dump(1) + "\n";
}

Result<std::vector<int>> Vocabulary::encode(std::string_view text, std::string_view where) const {
    std::vector<int> tokens;
    // One token a character: the bytes that do not continue a UTF-8 sequence.
    tokens.reserve(std::size_t(std::count_if(text.begin(), text.end(), [](char b) {
        return (static_cast<unsigned char>(b) & 0xC0) != 0x80;
    })));
    std::string_view missing;
    std::size_t missingIndex = 0;
    Status s = forEachCharacter(text, where,
                                [&](std::string_view character, char32_t c, std::size_t index) {
                                    const int token = tokenOf(c);
                                    if (token < 0) {
                                        missing = character;
                                        missingIndex = index;
                                        return false;
                                    }
                                    tokens.push_back(token);
                                    return true;
                                });
    if (!s)
        return s;
    if (!missing.empty())
        return Status::error(std::string(where) + ": character " + std::to_string(missingIndex) +
                             ", " + shown(missing) + ", is not in the vocabulary of " +
                             std::to_string(size()) + " characters");
    return tokens;
}

std::string Vocabulary::decode(const std::vector<int>& tokens) const {
    std::string text;
    for (int t : tokens)
        if (t >= 0 && t < size())
            text += m_tokens[std::size_t(t)];
    return text;
}

std::string Vocabulary::preview(const float* tokens, std::int64_t count) const {
    std::string text;
    for (std::int64_t i = 0; i < count; ++i) {
        const auto t = std::int64_t(tokens[i]);
        if (t >= 0 && t < size())
            text += m_tokens[std::size_t(t)] == "\n" ? "\u23ce" : m_tokens[std::size_t(t)];
    }
    return text;
}

} // namespace nc::engine
