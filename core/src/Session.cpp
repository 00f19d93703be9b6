#include "lx/Session.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "JsonValue.h"
#include "lx/Sha256.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <system_error>

namespace lx {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

fs::path absoluteNormal(const std::string& path)
{
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(path), ec);
    return (ec ? fs::path(path) : p).lexically_normal();
}

fs::path folderOf(const std::string& sessionPath) { return absoluteNormal(sessionPath).parent_path(); }

// The model path as written: relative to the session's folder when there is one.
std::string storedModelPath(const std::string& modelPath, const std::string& sessionPath)
{
    if (modelPath.empty())
        return {};
    const fs::path model = absoluteNormal(modelPath);
    if (sessionPath.empty())
        return model.string();
    const fs::path relative = model.lexically_relative(folderOf(sessionPath));
    return relative.empty() ? model.string() : relative.string();
}

template <typename T> T field(const json& j, const char* key, const T& fallback)
{
    return jsonvalue::get<T>(j, key, fallback, "session");
}

void requireObject(const json& j, const char* key)
{
    if (j.contains(key) && !j[key].is_object())
        throw Error(std::string("session: '") + key + "' must be an object");
}

void requireChannels(const std::vector<int>& channels, const std::string& what)
{
    for (int c : channels) {
        if (c < 0)
            throw Error("session: " + what + ": negative channel " + std::to_string(c));
    }
}

ModuleSettings modulesFrom(const json& j)
{
    ModuleSettings m;
    m.method = field<std::string>(j, "method", m.method);
    m.k = field<int>(j, "k", m.k);
    m.sigma = field<double>(j, "sigma", m.sigma);
    m.threshold = field<double>(j, "threshold", m.threshold);
    m.seed = field<uint64_t>(j, "seed", m.seed);
    if (m.method != "nmf" && m.method != "kmeans")
        throw Error("session: modules: unknown method '" + m.method + "' (known: nmf, kmeans)");
    if (m.k < 1)
        throw Error("session: modules: k must be at least 1, got " + std::to_string(m.k));
    if (!(m.sigma >= 0.0))
        throw Error("session: modules: sigma must be >= 0");
    if (!(m.threshold >= 0.0 && m.threshold < 1.0))
        throw Error("session: modules: threshold must lie in [0, 1)");
    return m;
}

} // namespace

std::string Session::toJson(const std::string& sessionPath) const
{
    ordered_json model = {{"path", storedModelPath(modelPath, sessionPath)}};
    if (!modelPath.empty())
        model["absolute_path"] = absoluteNormal(modelPath).string();
    if (!modelSha256.empty())
        model["sha256"] = modelSha256;
    ordered_json groupList = ordered_json::array();
    for (const ChannelGroup& g : groups)
        groupList.push_back({{"name", g.name}, {"channels", g.channels}});
    ordered_json view = ordered_json::object();
    if (!viewJson.empty()) {
        view = ordered_json::parse(viewJson, nullptr, false);
        if (view.is_discarded() || !view.is_object())
            throw Error("session: the view settings are not a JSON object");
    }
    ordered_json figureList = ordered_json::array();
    for (const FigureSpec& f : figures)
        figureList.push_back(ordered_json::parse(f.toJson()));
    const ordered_json doc = {
        {"format", kFormat},
        {"version", kVersion},
        {"model", model},
        {"device", device},
        {"layer", layer},
        {"seed1", seed1},
        {"seed2", seed2},
        {"channels", channels},
        {"class1", class1},
        {"class2", class2},
        {"class_after_cut", classFromDonor ? "donor" : "base"},
        {"groups", groupList},
        {"edit", ordered_json::parse(edit.toJson())},
        {"modules",
         {{"method", modules.method},
          {"k", modules.k},
          {"sigma", modules.sigma},
          {"threshold", modules.threshold},
          {"seed", modules.seed}}},
        {"view", view},
        {"figures", figureList},
    };
    return doc.dump(2) + "\n";
}

Session Session::fromJson(const std::string& text, const std::string& sessionPath)
{
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        throw Error("session: not valid JSON");
    if (!doc.is_object() || !doc.contains("format"))
        throw Error(std::string("session: not a Latent Explorer session (no \"format\": \"") + kFormat + "\")");
    if (!doc["format"].is_string() || doc["format"].get<std::string>() != kFormat)
        throw Error("session: not a Latent Explorer session (format " + doc["format"].dump().substr(0, 60) + ")");
    if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"].get<int64_t>() < 1)
        throw Error("session: missing or invalid \"version\"");
    const int64_t version = doc["version"].get<int64_t>();
    if (version > kVersion)
        throw Error("session: version " + std::to_string(version)
                    + " is newer than this Latent Explorer reads (version " + std::to_string(kVersion)
                    + "); update Latent Explorer");

    Session s;
    if (!doc.contains("model") || !doc["model"].is_object())
        throw Error("session: missing \"model\"");
    const json& model = doc["model"];
    const std::string stored = field<std::string>(model, "path", "");
    if (stored.empty())
        throw Error("session: missing \"model\".\"path\"");
    const fs::path storedPath(stored);
    if (storedPath.is_absolute() || sessionPath.empty())
        s.modelPath = absoluteNormal(stored).string();
    else
        s.modelPath = (folderOf(sessionPath) / storedPath).lexically_normal().string();
    s.modelAbsolutePath = field<std::string>(model, "absolute_path", "");
    s.modelSha256 = field<std::string>(model, "sha256", "");

    s.device = field<std::string>(doc, "device", s.device);
    s.layer = field<std::string>(doc, "layer", "");
    s.seed1 = field<uint64_t>(doc, "seed1", s.seed1);
    s.seed2 = field<uint64_t>(doc, "seed2", s.seed2);
    s.class1 = field<int>(doc, "class1", s.class1);
    s.class2 = field<int>(doc, "class2", s.class2);
    if (s.class1 < -1 || s.class2 < -1)
        throw Error("session: 'class1' and 'class2' must be class indices (or -1 for none)");
    const std::string classAfterCut = field<std::string>(doc, "class_after_cut", "base");
    if (classAfterCut != "base" && classAfterCut != "donor")
        throw Error("session: 'class_after_cut' must be \"base\" or \"donor\"");
    s.classFromDonor = classAfterCut == "donor";
    s.channels = field<std::vector<int>>(doc, "channels", {});
    requireChannels(s.channels, "channels");
    if (doc.contains("groups")) {
        if (!doc["groups"].is_array())
            throw Error("session: 'groups' must be a list");
        for (const json& g : doc["groups"]) {
            if (!g.is_object())
                throw Error("session: each group must be an object with a name and channels");
            ChannelGroup group{field<std::string>(g, "name", ""), field<std::vector<int>>(g, "channels", {})};
            requireChannels(group.channels, "group '" + group.name + "'");
            s.groups.push_back(std::move(group));
        }
    }
    requireObject(doc, "edit");
    if (doc.contains("edit"))
        s.edit = LayerEdit::fromJson(doc["edit"].dump());
    requireObject(doc, "modules");
    if (doc.contains("modules"))
        s.modules = modulesFrom(doc["modules"]);
    requireObject(doc, "view");
    s.viewJson = doc.contains("view") ? doc["view"].dump() : "{}";
    if (doc.contains("figures")) {
        if (!doc["figures"].is_array())
            throw Error("session: 'figures' must be a list");
        for (const json& f : doc["figures"]) {
            try {
                s.figures.push_back(FigureSpec::fromJson(f.dump()));
            } catch (const Error& e) {
                throw Error("session: figure " + std::to_string(s.figures.size()) + ": " + e.what());
            }
        }
    }
    return s;
}

const FigureSpec& Session::figure(const std::string& nameOrIndex) const
{
    if (figures.empty())
        throw Error("the session has no figures (export one from the GUI first)");
    if (nameOrIndex.empty())
        return figures.back();
    for (const FigureSpec& f : figures)
        if (f.name == nameOrIndex)
            return f;
    if (nameOrIndex.find_first_not_of("0123456789") == std::string::npos && nameOrIndex.size() < 9) {
        const size_t i = std::stoul(nameOrIndex);
        if (i < figures.size())
            return figures[i];
    }
    std::string known;
    for (size_t i = 0; i < figures.size(); ++i)
        known += (i ? ", " : "") + std::to_string(i) + (figures[i].name.empty() ? "" : " (" + figures[i].name + ")");
    throw Error("no figure '" + nameOrIndex + "' in the session (figures: " + known + ")");
}

void Session::putFigure(const FigureSpec& spec)
{
    for (FigureSpec& f : figures) {
        if (!spec.name.empty() && f.name == spec.name) {
            f = spec;
            return;
        }
    }
    figures.push_back(spec);
}

void Session::save(const std::string& path) const { AtomicFile::write(path, toJson(path)); }

Session Session::load(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error("cannot open session " + path + ": no such file");
    const std::string text = AtomicFile::read(path);
    try {
        return fromJson(text, path);
    } catch (const Error& e) {
        std::string message = e.what();
        if (message.rfind("session: ", 0) == 0)
            message = message.substr(9);
        throw Error("cannot open session " + path + ": " + message);
    }
}

SessionModel Session::locateModel() const
{
    std::vector<std::string> candidates;
    for (const std::string& p : {modelPath, modelAbsolutePath}) {
        if (!p.empty() && (candidates.empty() || candidates.front() != p))
            candidates.push_back(p);
    }
    if (candidates.empty())
        throw Error("session names no model file");
    std::error_code ec;
    for (const std::string& candidate : candidates) {
        if (!fs::is_regular_file(candidate, ec))
            continue;
        SessionModel found;
        found.path = absoluteNormal(candidate).string();
        found.sha256 = Sha256::fileHex(found.path);
        if (!modelSha256.empty() && found.sha256 != modelSha256)
            found.warning = "model " + found.path + " differs from the one the session was saved with (SHA-256 "
                + found.sha256.substr(0, 12) + "…, expected " + modelSha256.substr(0, 12) + "…); results may differ";
        return found;
    }
    std::string looked = candidates.front();
    if (candidates.size() > 1)
        looked += " and " + candidates[1];
    throw Error("model not found: looked for " + looked);
}

} // namespace lx
