#include "ModelFile.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/Runtime.h"

#include <caffe2/serialize/inline_container.h>

#include <sys/stat.h>

namespace lx {

namespace {

const char kCardFile[] = "latent_explorer.json";

std::string cardText(const std::string& path, const std::string& embedded)
{
    if (!embedded.empty())
        return embedded;
    const std::string sidecar = path + ".json";
    struct stat st { };
    if (::stat(sidecar.c_str(), &st) != 0)
        throw Error(path + ": no model card (embed " + kCardFile + " in the archive or put " + sidecar + " beside it)");
    return AtomicFile::read(sidecar);
}

Card parseCard(const std::string& path, const std::string& text)
{
    try {
        return Card::fromJson(text);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

// The error for a file LibTorch cannot read as a TorchScript archive, its reason said in words where
// LibTorch's is cryptic.
Error unreadable(const std::string& path, const std::exception& e)
{
    const std::string reason = firstLine(e.what());
    std::string said;
    if (reason.find("failed finding central directory") != std::string::npos)
        said = "not a zip archive, or a truncated one";
    else if (reason.find("not a ZIP archive") != std::string::npos)
        said = "not a zip archive";
    else if (reason.find("hasRecord(\"version\")") != std::string::npos)
        said = "a zip archive without TorchScript's records";
    else
        said = reason.substr(0, reason.find("  (Could this error message be improved?"));
    return Error(path + ": not a readable TorchScript model (" + said + ")");
}

} // namespace

void ModelFile::requireFile(const std::string& path, const std::string& what)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0)
        throw Error("cannot open " + what + " " + path + ": no such file");
    if (S_ISDIR(st.st_mode))
        throw Error("cannot open " + what + " " + path + ": it is a directory, not a TorchScript file");
    if (st.st_size == 0)
        throw Error("cannot open " + what + " " + path + ": the file is empty");
}

ModelFile ModelFile::load(const std::string& path, const torch::Device& device, const std::string& what)
{
    requireFile(path, what);
    ModelFile f;
    torch::jit::ExtraFilesMap extra{{kCardFile, ""}};
    try {
        f.module = torch::jit::load(path, device, extra);
    } catch (const std::exception& e) {
        throw unreadable(path, e);
    }
    f.card = parseCard(path, cardText(path, extra[kCardFile]));
    f.module.eval();
    return f;
}

Card ModelFile::readCard(const std::string& path, const std::string& what)
{
    requireFile(path, what);
    std::string embedded;
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        const std::string record = std::string("extra/") + kCardFile;
        if (reader.hasRecord(record)) {
            auto [data, size] = reader.getRecord(record);
            embedded.assign(static_cast<const char*>(data.get()), size);
        }
    } catch (const std::exception& e) {
        throw unreadable(path, e);
    }
    return parseCard(path, cardText(path, embedded));
}

ModelFile ModelFile::loadKind(const std::string& path, const LoadOptions& options, ModelKind want,
                              const std::string& cardHint, std::initializer_list<const char*> methods,
                              const std::string& methodsHint, torch::Device* device)
{
    Runtime::configureThreads(options.threads);
    *device = chooseDevice(options.device);
    ModelFile file = load(path, *device, "model");
    if (file.card.kind != want)
        throw Error(path + ": the card says " + Card::kindName(file.card.kind) + ", not " + Card::kindName(want) + " ("
                    + cardHint + ")");
    for (const char* name : methods) {
        if (!file.module.find_method(name))
            throw Error(path + ": model has no method '" + name + "' (" + methodsHint + ")");
    }
    return file;
}

torch::Device ModelFile::chooseDevice(DeviceChoice choice)
{
    const bool cuda = Runtime::cudaAvailable();
    if (choice == DeviceChoice::Cuda && !cuda)
        throw Error("--device cuda: this LibTorch build has no CUDA device available");
    if (choice == DeviceChoice::Cpu || !cuda)
        return torch::Device(torch::kCPU);
    return torch::Device(torch::kCUDA, 0);
}

} // namespace lx
