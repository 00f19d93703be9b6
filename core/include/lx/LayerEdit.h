#pragma once
// Interventions on one layer's channels (GAN Dissection-style unit interventions): set the
// selected channels to a value, scale them, add an offset, ablate them (zero), or copy them from the
// donor sample z2, optionally only inside a spatial mask. Several interventions compose, in order, into
// one per-layer edit that HybridEngine::intervene applies to the cached activations before running the
// rest of the network. An edit is a plain value that round-trips through JSON (session documents).
#include <string>
#include <vector>

namespace lx {

enum class EditOp { Set, Scale, Offset, Ablate, CopyDonor };

struct Intervention {
    EditOp op = EditOp::Scale;
    std::vector<int> channels; // channels of the layer it acts on
    double value = 1.0; // Set: the value; Scale: the factor; Offset: the amount; else unused
    // Optional spatial mask in [0, 1], row-major [maskHeight, maskWidth], at any resolution (for example
    // brushed on the output image). It is area-pooled to the layer's [H, W]; the edited value is then
    // h + m * (target - h). Empty = everywhere (the target replaces h exactly, no blending).
    std::vector<float> mask;
    int maskHeight = 0;
    int maskWidth = 0;
    bool enabled = true;

    bool hasMask() const { return !mask.empty(); }
};

struct LayerEdit {
    std::vector<Intervention> interventions; // applied in order; disabled ones are skipped

    bool isIdentity() const; // no enabled intervention with channels
    // JSON: {"interventions": [{"op": "scale", "channels": [..], "value": 2, "enabled": true,
    //  "mask": {"height": h, "width": w, "values": [..]}}]}. Throws lx::Error naming the bad key.
    std::string toJson() const;
    static LayerEdit fromJson(const std::string& text);
    // Throws lx::Error for an empty mask size mismatch, mask values outside [0, 1] or NaN, or a
    // non-finite value.
    void validate() const;

    static std::string opName(EditOp op); // "set", "scale", "offset", "ablate", "copy-donor"
    static EditOp opFromName(const std::string& name); // throws lx::Error listing the names
};

} // namespace lx
