#pragma once
// Precompiled header for core's LibTorch translation units (see core/CMakeLists.txt).
#include <torch/script.h>
