#pragma once
// The one-line message for any exception that reaches a user (GUI dialogs, the CLI).
#include <exception>
#include <string>

namespace lx {

// firstLine(what()) (Error.h), except for running out of memory and CUDA failures, which are said in
// words with what to do: std::bad_alloc (what() says only "std::bad_alloc"); LibTorch's CPU allocator
// ("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to
// allocate N bytes. ...", or "not enough memory"), also inside an lx::Error that quotes it; "CUDA out of
// memory. Tried to allocate ..."; and other "CUDA error: ..." (e.g. a device-side assert).
std::string errorMessage(const std::exception& e);

// True for the out-of-memory failures errorMessage puts in words (CPU or GPU).
bool isOutOfMemory(const std::exception& e);

} // namespace lx
