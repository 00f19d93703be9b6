// Fuzzes lx::Card::fromJson: any input either parses or throws lx::Error with a one-line message;
// nothing else may escape (a nlohmann exception, std::out_of_range...), and a parsed card written back
// with toJson parses again to the same JSON.
#include "FuzzCheck.h"
#include "lx/Card.h"
#include "lx/Error.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    lx::Card card;
    try {
        card = lx::Card::fromJson(text);
    } catch (const lx::Error& e) {
        const std::string message = e.what();
        LX_FUZZ_CHECK(!message.empty(), "card error message is empty");
        LX_FUZZ_CHECK(message.find('\n') == std::string::npos, "card error message is not one line");
        return 0;
    }
    const std::string once = card.toJson();
    std::string twice;
    try {
        twice = lx::Card::fromJson(once).toJson();
    } catch (const lx::Error& e) {
        std::fprintf(stderr, "re-parse of %s failed: %s\n", once.c_str(), e.what());
        LX_FUZZ_CHECK(false, "a card's own toJson does not parse");
    }
    LX_FUZZ_CHECK(once == twice, "card toJson is not stable under fromJson");
    return 0;
}
