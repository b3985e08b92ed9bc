#pragma once
// UTF-8 checks for text that reaches names, messages and JSON.

#include <string>
#include <string_view>

namespace nc::core {

bool isValidUtf8(std::string_view text);
// The text with every byte that is not part of valid UTF-8 written as \xHH.
std::string escapeInvalidUtf8(std::string_view text);

} // namespace nc::core
