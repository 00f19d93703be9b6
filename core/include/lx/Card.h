#pragma once
// lx::Card: the small JSON card that comes with every model (model contract v1, models/CONTRACT.md).
#include <cstdint>
#include <string>
#include <vector>

namespace lx {

enum class ModelKind { Generator, Autoencoder, Classifier, Cgn, VqVae };

// kind "cgn": the shuffler applied to foreground and background ("tile2x2" = tile 2x2 and crop, a
// circular shift), and whether the three mechanisms draw their own noise (informational, for the GUI).
enum class CgnShuffle { None, Tile2x2 };
enum class CgnNoise { PerMechanism, Shared };

// class_input.encoding of a class-conditional generator or autoencoder: forward(z, y) (or decode(z, y))
// with y int64 class indices [N] ("index") or float32 one-hot rows [N, K] ("onehot").
enum class ClassEncoding { None, Index, OneHot };

class Card {
public:
    ModelKind kind = ModelKind::Generator;
    std::vector<int64_t> latentShape; // per sample, e.g. {100, 1, 1}
    double outputLow = -1.0; // output_range, for display
    double outputHigh = 1.0;
    std::vector<int64_t> outputShape; // optional per-sample image shape; empty = the model's own
    std::string name;
    std::string description;
    std::vector<std::string> classes;
    std::vector<std::string> factors;
    std::string dataset; // optional: a dataset with known factors, e.g. "lx-shapes" (FactorDataset.h)
    // Optional class_input {"encoding": "index" | "onehot", "classes": [names]}: the model takes a class
    // per sample as a second argument, built by the tool from class indices in [0, inputClasses.size()).
    ClassEncoding classEncoding = ClassEncoding::None;
    std::vector<std::string> inputClasses;
    bool conditional() const { return classEncoding != ClassEncoding::None; }
    // kind "classifier" (forward(images) -> logits [N, classes.size()]): no latent_shape / output_range;
    // instead the per-sample input shape and the pixel range it expects. `classes` is required.
    std::vector<int64_t> inputShape; // input_shape, e.g. {1, 32, 32}
    double inputLow = 0.0; // input_range
    double inputHigh = 1.0;
    // kind "cgn" (premask / foreground / background methods, lx::CgnModel): latent_shape, output_range,
    // output_shape [3, H, W] and classes are required; these three are optional.
    double maskLow = 1e-4; // mask_clamp: 0 <= low < high <= 1
    double maskHigh = 0.9999;
    CgnShuffle shuffle = CgnShuffle::None;
    CgnNoise noise = CgnNoise::PerMechanism;
    // kind "vqvae" (encode / decode over discrete code indices, optionally a causal transition;
    // lx::VqModel, models/CONTRACT.md): no latent_shape; input_shape [C, H, W], output_range
    // (pixels encode takes and decode returns), grid_shape [B, h, w] and codebook_size K are required.
    // `actions` (A names) is present iff the model has transition_logits / adjacency; with `factors`
    // (F names) A must be 2F: action f = "<factor f>+", action F + f = "<factor f>-".
    std::vector<int64_t> gridShape; // grid_shape [B, h, w]
    int64_t codebookSize = 0; // codebook_size K
    std::vector<std::string> actions;

    // Parses and validates a card. Throws lx::Error with a one-line message naming the bad key.
    static Card fromJson(const std::string& text);
    // The card as JSON (the keys above; for `info` and session files).
    std::string toJson() const;

    int64_t latentSize() const;
    static std::string kindName(ModelKind kind);
};

} // namespace lx
