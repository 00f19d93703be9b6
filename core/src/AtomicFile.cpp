#include "lx/AtomicFile.h"

#include "lx/Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>

namespace lx {

namespace {
std::string errnoText() { return std::strerror(errno); }
} // namespace

void AtomicFile::write(const std::string& path, const std::string& bytes)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error("cannot write " + path + ": it is a directory");
    std::random_device rd;
    const std::string tmp = path + ".tmp" + std::to_string(rd() % 1000000);
    {
        std::FILE* f = std::fopen(tmp.c_str(), "wb");
        if (!f)
            throw Error("cannot write " + path + ": " + errnoText());
        const size_t written = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), f);
        const bool flushed = std::fflush(f) == 0;
        const bool closed = std::fclose(f) == 0;
        if (written != bytes.size() || !flushed || !closed) {
            const std::string reason = errnoText();
            std::remove(tmp.c_str());
            throw Error("cannot write " + path + ": " + reason);
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = errnoText();
        std::remove(tmp.c_str());
        throw Error("cannot write " + path + ": " + reason);
    }
}

std::string AtomicFile::read(const std::string& path)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0)
        throw Error("cannot read " + path + ": " + errnoText());
    if (S_ISDIR(st.st_mode))
        throw Error("cannot read " + path + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read " + path + ": " + errnoText());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace lx
