// Fuzzes lx::Session::fromJson: any text either parses or throws lx::Error with a one-line message;
// a parsed session written back with toJson parses again, and writing that gives the same document.
#include "FuzzCheck.h"
#include "lx/Error.h"
#include "lx/Session.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    // A fixed session path: relative model paths resolve against /fuzz (never touched on disk).
    const std::string where = "/fuzz/session.json";
    lx::Session session;
    try {
        session = lx::Session::fromJson(text, where);
    } catch (const lx::Error& e) {
        const std::string message = e.what();
        LX_FUZZ_CHECK(!message.empty(), "session error message is empty");
        LX_FUZZ_CHECK(message.find('\n') == std::string::npos, "session error message is not one line");
        return 0;
    }
    const std::string once = session.toJson(where);
    std::string twice;
    try {
        twice = lx::Session::fromJson(once, where).toJson(where);
    } catch (const lx::Error& e) {
        std::fprintf(stderr, "re-parse failed: %s\n", e.what());
        LX_FUZZ_CHECK(false, "a session's own toJson does not parse");
    }
    LX_FUZZ_CHECK(once == twice, "session toJson is not stable under fromJson");
    return 0;
}
