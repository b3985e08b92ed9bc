#pragma once
// Atomic file writes: the bytes go to a temporary file next to the target, are flushed to
// disk, and the temporary file is renamed over the target. A crash leaves either the old file
// or the new one, never a truncated mix.

#include "status.h"

#include <string>
#include <string_view>

namespace nc::core {

// A FIFO or character device (/dev/null, a terminal) is written through instead, a FIFO that
// nobody reads is an error at once (no hang); a folder, block device or socket is refused; a
// symbolic link is replaced by the file, never followed. The temporary file is named
// `<path>` + kTemporaryInfix + six random characters.
Status writeFileAtomically(const std::string& path, std::string_view bytes);

inline constexpr std::string_view kTemporaryInfix = ".nctmp-";

// Reads a whole file of at most maxBytes (a larger regular file is refused before reading; a
// pipe or device is read up to the cap). Missing, unreadable files and folders are I/O
// errors; a file over the cap is an input error. The message names the file and the reason.
Result<std::string> readWholeFile(const std::string& path, std::size_t maxBytes);

} // namespace nc::core
