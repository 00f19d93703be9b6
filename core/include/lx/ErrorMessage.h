#pragma once
// The one-line message for any exception that reaches a user (GUI dialogs, the CLI).
#include <exception>
#include <string>

namespace lx {

// firstLine(what()) (Error.h), except that running out of memory (std::bad_alloc from an allocation,
// whose what() says only "std::bad_alloc") is said in words. LibTorch's own allocator errors
// ("DefaultCPUAllocator: can't allocate memory: you tried to allocate N bytes", "CUDA out of memory.
// Tried to allocate ...") already say so and pass through firstLine.
std::string errorMessage(const std::exception& e);

} // namespace lx
