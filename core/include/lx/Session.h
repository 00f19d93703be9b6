#pragma once
// lx::Session: the session document as a plain value: which model (path and SHA-256), layer,
// seeds, selected channels, named channel groups, the layer's interventions, module settings and a free
// "view" object for panel settings. JSON on disk:
//   {"format": "latent-explorer-session", "version": 1,
//    "model": {"path": "../models/m.pt", "absolute_path": "/abs/m.pt", "sha256": "..."},
//    "device": "auto", "layer": "main.5", "seed1": 1, "seed2": 2, "channels": [..],
//    "groups": [{"name": "..", "channels": [..]}], "edit": {"interventions": [..]} (LayerEdit),
//    "modules": {"method": "nmf", "k": 3, "sigma": 1, "threshold": 0, "seed": 0}, "view": {..},
//    "figures": [FigureSpec, ..]}   (figures exported from this session; `latent-explorer-cli render`)
// The model path is written relative to the session file's folder when it has one, so a folder holding
// both can move; the absolute path is kept as a second place to look. Unknown keys are ignored; a newer
// version is refused.
#include "lx/FigureSpec.h"
#include "lx/LayerEdit.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lx {

struct ChannelGroup {
    std::string name;
    std::vector<int> channels;
};

struct ModuleSettings {
    std::string method = "nmf"; // "nmf" or "kmeans"
    int k = 3;
    double sigma = 1.0; // smoothing, pixels (0 = off)
    double threshold = 0.0; // per-map quantile (0 = off)
    uint64_t seed = 0;
};

// The model file a session refers to, once found (Session::locateModel).
struct SessionModel {
    std::string path; // absolute path of the file found
    std::string sha256; // its hash
    std::string warning; // one line when the hash differs from the session's; empty when it matches
};

class Session {
public:
    static constexpr const char* kFormat = "latent-explorer-session";
    static constexpr int kVersion = 1;

    std::string modelPath; // absolute once loaded (resolved against the session's folder)
    std::string modelAbsolutePath; // loaded: the absolute path recorded at save time (second place to look)
    std::string modelSha256; // lowercase hex; empty = not recorded
    std::string device = "auto";
    std::string layer; // layer name, e.g. "main.5"; empty = the model's default layer
    uint64_t seed1 = 1;
    uint64_t seed2 = 2;
    // Class-conditional models (card class_input): the class index of z1 and of z2 (-1 = none), and
    // whether the layers after the cut take z2's class (the cross-class hybrid) instead of z1's.
    int class1 = -1;
    int class2 = -1;
    bool classFromDonor = false;
    std::vector<int> channels; // selected channels of the layer, ascending
    std::vector<ChannelGroup> groups;
    LayerEdit edit;
    ModuleSettings modules;
    std::string viewJson = "{}"; // a JSON object, kept as it is
    std::vector<FigureSpec> figures; // exported figures, oldest first (FigureSpec.h)

    // The figure named `nameOrIndex` (a name, or a 0-based index; empty = the last one). Throws lx::Error
    // naming what there is when none matches.
    const FigureSpec& figure(const std::string& nameOrIndex) const;
    // Adds `spec`, replacing a figure of the same name.
    void putFigure(const FigureSpec& spec);

    // `sessionPath` is where the document goes: the model path is written relative to its folder (absolute
    // when there is none or no relative path exists).
    std::string toJson(const std::string& sessionPath = {}) const;
    // Throws lx::Error (one line) for garbled JSON, another format, a newer or invalid version, or a bad
    // key (named). A relative model path is resolved against `sessionPath`'s folder.
    static Session fromJson(const std::string& text, const std::string& sessionPath = {});

    // Writes through AtomicFile. Throws lx::Error("cannot write <path>: <reason>").
    void save(const std::string& path) const;
    // Throws lx::Error naming the file: missing, unreadable, garbled, not a session, too new.
    static Session load(const std::string& path);

    // Finds the model file (modelPath, then modelAbsolutePath) and hashes it. Throws lx::Error("model not
    // found: looked for A and B") when neither exists; a hash that differs from modelSha256 is a warning.
    SessionModel locateModel() const;
};

} // namespace lx
