// Fuzzes lx::Npy::decode: any bytes either decode or throw lx::Error with a one-line message; a decoded
// array has as many values as its shape says, and encoding it then decoding again gives the same shape
// and bit-identical float32 values (NaN payloads included).
#include "FuzzCheck.h"
#include "lx/Array.h"
#include "lx/Error.h"
#include "lx/Npy.h"

#include <cstdint>
#include <cstring>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    lx::Array array;
    try {
        array = lx::Npy::decode(bytes, "fuzz.npy");
    } catch (const lx::Error& e) {
        const std::string message = e.what();
        LX_FUZZ_CHECK(!message.empty(), "npy error message is empty");
        LX_FUZZ_CHECK(message.find('\n') == std::string::npos, "npy error message is not one line");
        return 0;
    }
    LX_FUZZ_CHECK(lx::Array::product(array.shape()) == array.numel(), "npy shape and value count differ");
    const lx::Array again = lx::Npy::decode(lx::Npy::encode(array), "again.npy");
    LX_FUZZ_CHECK(again.shape() == array.shape(), "npy round trip changed the shape");
    LX_FUZZ_CHECK(
        again.numel() == array.numel()
            && (array.numel() == 0 || std::memcmp(again.ptr(), array.ptr(), sizeof(float) * array.numel()) == 0),
        "npy round trip changed the values");
    return 0;
}
