// synthetic:text: a built-in corpus for character-level models, so the char_lstm example
// trains with no download. Short stories from a small grammar: sentences like
//   "The old fox watched a small boat near the river. Anna slept, and the dog waited."
// in paragraphs of three to six sentences. Deterministic in the seed. Most next characters
// are decided by the word being spelled; the uncertainty is at word starts, so a model that
// has learnt the words and the grammar predicts about two thirds of the characters.

#include "loaders.h"

#include "../random.h"

#include <array>
#include <cctype>

namespace nc::engine {

namespace {

constexpr std::array kNames = {"Anna", "Ben", "Clara", "David", "Ella", "Felix", "Grace", "Hugo"};
constexpr std::array kDeterminers = {"the", "the", "a", "this", "that", "her", "his", "my"};
constexpr std::array kAdjectives = {"old",    "young", "small", "quiet", "brown",
                                    "clever", "tired", "happy", "green", "cold"};
constexpr std::array kNouns = {"fox",    "dog",    "cat",    "bird",   "river",
                               "garden", "house",  "boat",   "tree",   "child",
                               "baker",  "farmer", "letter", "window", "road"};
constexpr std::array kTransitive = {"saw",     "found",  "followed", "painted", "carried",
                                    "watched", "opened", "built",    "lost",    "liked"};
constexpr std::array kIntransitive = {"slept", "waited",   "laughed",
                                      "sang",  "ran home", "fell asleep"};
constexpr std::array kPrepositions = {"near", "under", "behind", "across", "beside", "in", "over"};
constexpr std::array kAdverbs = {"slowly", "quietly", "again", "today", "at night"};

class StoryWriter {
public:
    explicit StoryWriter(std::uint64_t seed) : m_random(mix64(seed ^ 0x7e47)) {}

    void paragraph(std::string& out) {
        const std::uint64_t sentences = 3 + m_random.below(4);
        for (std::uint64_t s = 0; s < sentences; ++s) {
            if (s > 0)
                out += ' ';
            sentence(out);
        }
        out += '\n';
    }

private:
    template <typename List> const char* pick(const List& list) {
        return list[std::size_t(m_random.below(list.size()))];
    }
    bool chance(int percent) { return m_random.below(100) < std::uint64_t(percent); }

    std::string nounPhrase() {
        if (chance(25))
            return pick(kNames);
        std::string phrase = pick(kDeterminers);
        const bool adjective = chance(50);
        const std::string next = adjective ? pick(kAdjectives) : pick(kNouns);
        if (phrase == "a" && std::string("aeiou").find(next[0]) != std::string::npos)
            phrase = "an";
        phrase += ' ' + next;
        if (adjective)
            phrase += std::string(" ") + pick(kNouns);
        return phrase;
    }

    std::string clause() {
        std::string text = nounPhrase() + ' ';
        if (chance(60))
            text += std::string(pick(kTransitive)) + ' ' + nounPhrase();
        else
            text += pick(kIntransitive);
        if (chance(35))
            text += std::string(" ") + pick(kPrepositions) + ' ' + nounPhrase();
        if (chance(20))
            text += std::string(" ") + pick(kAdverbs);
        return text;
    }

    void sentence(std::string& out) {
        std::string text = clause();
        if (chance(30))
            text += std::string(chance(60) ? ", and " : ", but ") + clause();
        text[0] = char(std::toupper(static_cast<unsigned char>(text[0])));
        out += text + '.';
    }

    SplitMix m_random;
};

} // namespace

// Every character a story can hold, so the vocabulary does not depend on how much is drawn:
// the words' letters, the capitals that start sentences, space, comma, full stop and newline.
std::string storyAlphabet() {
    std::string alphabet = " ,.\nA"; // "A" and "An" start sentences
    auto add = [&](const auto& words, bool capitalised) {
        for (const char* word : words) {
            alphabet += word;
            if (capitalised)
                alphabet += char(std::toupper(static_cast<unsigned char>(word[0])));
        }
    };
    add(kNames, false);
    add(kDeterminers, true);
    add(kAdjectives, false);
    add(kNouns, false);
    add(kTransitive, false);
    add(kIntransitive, false);
    add(kPrepositions, false);
    add(kAdverbs, false);
    return alphabet;
}

std::string makeSyntheticStories(std::size_t characters, std::uint64_t seed) {
    StoryWriter writer(seed);
    std::string text;
    text.reserve(characters + kStoryOvershoot); // a paragraph is at most about 1,000
    while (text.size() < characters)
        writer.paragraph(text);
    return text;
}

} // namespace nc::engine
