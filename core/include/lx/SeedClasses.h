#pragma once
// The classes of seed-drawn samples of a class-conditional model (card class_input), so that every view
// and command that draws its own latents conditions them the same way: sample i of seeds first, first+1,
// ... gets class (first + i) mod K, and the pairs (first + i, first + N + i) of influence maps, modules
// and robustness are within-class pairs of class (first + i) mod K. Every function gives an empty Array
// for an unconditional model, so callers pass the result on unchanged.
#include "lx/Array.h"
#include "lx/Card.h"

#include <cstdint>

namespace lx {

class SeedClasses {
public:
    // Classes of the n samples of seeds first .. first + n - 1: [n].
    static Array forSeeds(const Card& card, uint64_t first, int64_t n);
    // Classes of the 2 * pairs samples of the pairs (first + i, first + pairs + i): [2 * pairs].
    static Array forPairs(const Card& card, uint64_t first, int64_t pairs);
    // n samples of class `index`: [n]. Throws lx::Error naming the card's classes when it is out of range.
    static Array repeated(const Card& card, int64_t index, int64_t n);
};

} // namespace lx
