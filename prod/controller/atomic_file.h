// Replaces a file so that readers see either the old or the new content,
// never a mix, even across a crash: write FILE.tmp.<pid>, fsync it, rename
// it over FILE (rename(2) is atomic within a file system), then fsync the
// directory so the rename itself is durable.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace vipcast::controller_main {

// Writes `content` to `path` unless the file already holds exactly these
// bytes. Returns whether it wrote. On error the old file is untouched and
// no temporary file is left behind.
core::Result<bool> WriteFileIfChanged(const std::string& path, std::string_view content);

}  // namespace vipcast::controller_main
