#pragma once
// ModelFile: the part of loading a model file that Model, Classifier, CgnModel and VqModel share: the
// file checks, torch::jit::load, and the card (embedded latent_explorer.json, else sidecar <path>.json).
// Private to core's .cpp files.
#include "lx/Card.h"
#include "lx/Model.h"

#include <torch/script.h>

#include <initializer_list>
#include <string>

namespace lx {

class ModelFile {
public:
    torch::jit::Module module; // in eval mode
    Card card;

    // Checks `path` is a non-empty regular file; throws lx::Error("cannot open <what> <path>: no such
    // file" / "it is a directory, not a TorchScript file" / "the file is empty").
    static void requireFile(const std::string& path, const std::string& what);
    // Loads the module onto `device` and parses its card. Throws lx::Error prefixed with the path: not
    // TorchScript, no model card, a bad card.
    static ModelFile load(const std::string& path, const torch::Device& device, const std::string& what);
    // A model of one kind with a class of its own (CgnModel, VqModel): the thread count and device from
    // `options` (the device into *device), then load(), then the card's kind (else "<path>: the card says
    // <kind>, not <want> (<cardHint>)") and each of `methods` (else "<path>: model has no method '<name>'
    // (<methodsHint>)").
    static ModelFile loadKind(const std::string& path, const LoadOptions& options, ModelKind want,
                              const std::string& cardHint, std::initializer_list<const char*> methods,
                              const std::string& methodsHint, torch::Device* device);
    // The card alone (embedded, else sidecar), read from the archive without loading the module. Same
    // errors as load().
    static Card readCard(const std::string& path, const std::string& what);
    // The device a LoadOptions choice means here (Auto: CUDA when LibTorch has it, else the CPU).
    static torch::Device chooseDevice(DeviceChoice choice);
};

} // namespace lx
