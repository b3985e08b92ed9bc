#pragma once
// The characters of a text data set: token k is the k-th distinct character (a Unicode code
// point, kept as its UTF-8 bytes) in code point order. Built from the training text, saved
// in the run folder (vocabulary.json) and read back to turn sampled tokens into text.
//
//   Result<Vocabulary> v = Vocabulary::fromText(text, "corpus.txt");
//   Result<std::vector<int>> tokens = v.value().encode("hello", "--prime");
//   std::string back = v.value().decode(tokens.value());

#include "core/status.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nc::engine {

// The UTF-8 characters of `text`, each as its bytes; invalid UTF-8 is an error naming `where`
// and the byte offset.
nc::core::Result<std::vector<std::string>> splitCharacters(std::string_view text,
                                                           std::string_view where);

class Vocabulary {
public:
    Vocabulary() { m_ascii.fill(-1); }
    // Every distinct character of `text`.
    static nc::core::Result<Vocabulary> fromText(std::string_view text, std::string_view where);
    // vocabulary.json: {"format": "netcanvas-vocabulary", "version": 1, "tokens": [...]}.
    static nc::core::Result<Vocabulary> parseJson(std::string_view json, std::string_view source);
    std::string toJson() const;

    int size() const { return int(m_tokens.size()); }
    bool empty() const { return m_tokens.empty(); }
    const std::vector<std::string>& tokens() const { return m_tokens; }

    // A character missing from the vocabulary is an error naming it and its position.
    nc::core::Result<std::vector<int>> encode(std::string_view text, std::string_view where) const;
    std::string decode(const std::vector<int>& tokens) const;
    // Tokens as a data set holds them (floats), e.g. one sample of text data; newlines shown
    // as the return symbol, for a one-line preview.
    std::string preview(const float* tokens, std::int64_t count) const;

private:
    explicit Vocabulary(std::vector<std::string> tokens);
    int tokenOf(char32_t codePoint) const; // -1: not in the vocabulary

    std::vector<std::string> m_tokens;
    std::array<int, 128> m_ascii{};            // the token of each ASCII character, or -1
    std::unordered_map<char32_t, int> m_index; // the tokens of the others
};

} // namespace nc::engine
