#include "lx/FigureSpec.h"

#include "lx/Error.h"
#include "JsonValue.h"

#include <nlohmann/json.hpp>

namespace lx {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

template <typename T> T get(const json& j, const char* key, const T& fallback, const char* where)
{
    return jsonvalue::get<T>(j, key, fallback, where);
}

void requireRange(double v, double lo, double hi, const char* key)
{
    if (!(v >= lo && v <= hi))
        throw Error("figure style: '" + std::string(key) + "' must lie in [" + std::to_string(int(lo)) + ", "
                    + std::to_string(int(hi)) + "], got " + std::to_string(v));
}

} // namespace

bool FigureStyle::operator==(const FigureStyle& o) const
{
    return dpi == o.dpi && fontFamily == o.fontFamily && fontPt == o.fontPt && tileMm == o.tileMm && title == o.title
        && showTitle == o.showTitle && showSeeds == o.showSeeds && showBands == o.showBands;
}

std::string FigureStyle::toJson() const
{
    const ordered_json doc = {
        {"dpi", dpi},     {"font_family", fontFamily}, {"font_pt", fontPt},       {"tile_mm", tileMm},
        {"title", title}, {"show_title", showTitle},   {"show_seeds", showSeeds}, {"show_bands", showBands}};
    return doc.dump();
}

FigureStyle FigureStyle::fromJson(const std::string& text)
{
    const json st = json::parse(text, nullptr, false);
    if (st.is_discarded() || !st.is_object())
        throw Error("figure style: not a JSON object");
    const char* where = "figure style";
    FigureStyle y;
    y.dpi = get<double>(st, "dpi", y.dpi, where);
    y.fontFamily = get<std::string>(st, "font_family", y.fontFamily, where);
    y.fontPt = get<double>(st, "font_pt", y.fontPt, where);
    y.tileMm = get<double>(st, "tile_mm", y.tileMm, where);
    y.title = get<std::string>(st, "title", y.title, where);
    y.showTitle = get<bool>(st, "show_title", y.showTitle, where);
    y.showSeeds = get<bool>(st, "show_seeds", y.showSeeds, where);
    y.showBands = get<bool>(st, "show_bands", y.showBands, where);
    requireRange(y.dpi, 36, 2400, "dpi");
    requireRange(y.fontPt, 3, 72, "font_pt");
    requireRange(y.tileMm, 2, 100, "tile_mm");
    if (y.fontFamily.empty())
        throw Error("figure style: 'font_family' is empty");
    return y;
}

bool FigureSpec::operator==(const FigureSpec& o) const
{
    return kind == o.kind && name == o.name && layer == o.layer && channels == o.channels && label == o.label
        && rowSeeds == o.rowSeeds && colSeeds == o.colSeeds && rowClasses == o.rowClasses && colClasses == o.colClasses
        && classFromDonor == o.classFromDonor && style == o.style;
}

std::string FigureSpec::defaultTitle() const
{
    const std::string what = label.empty() ? std::to_string(channels.size()) + " channels" : label;
    return "Hybrids: " + what + " of " + layer + " from z\u2082";
}

std::string FigureSpec::toJson() const
{
    const ordered_json style_ = ordered_json::parse(style.toJson());
    ordered_json doc = {{"kind", kind},   {"name", name},          {"layer", layer},       {"channels", channels},
                        {"label", label}, {"row_seeds", rowSeeds}, {"col_seeds", colSeeds}};
    if (!rowClasses.empty() || !colClasses.empty()) {
        doc["row_classes"] = rowClasses;
        doc["col_classes"] = colClasses;
        doc["class_after_cut"] = classFromDonor ? "donor" : "base";
    }
    doc["style"] = style_;
    return doc.dump();
}

std::string FigureSpec::provenanceJson(const std::string& modelFile, const std::string& modelSha256,
                                       const std::string& toolVersion) const
{
    const ordered_json doc = {{"tool", "Latent Explorer"},
                              {"version", toolVersion},
                              {"model", modelFile},
                              {"model_sha256", modelSha256},
                              {"figure", ordered_json::parse(toJson())}};
    return doc.dump();
}

FigureSpec FigureSpec::fromJson(const std::string& text)
{
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error("figure: not a JSON object");
    const char* where = "figure";
    FigureSpec s;
    s.kind = get<std::string>(doc, "kind", s.kind, where);
    if (s.kind != kHybridGrid)
        throw Error("figure: unknown kind '" + s.kind + "' (known: hybrid-grid)");
    s.name = get<std::string>(doc, "name", "", where);
    s.layer = get<std::string>(doc, "layer", "", where);
    if (s.layer.empty())
        throw Error("figure: 'layer' is missing");
    s.channels = get<std::vector<int>>(doc, "channels", {}, where);
    for (int c : s.channels)
        if (c < 0)
            throw Error("figure: 'channels' holds a negative channel " + std::to_string(c));
    s.label = get<std::string>(doc, "label", "", where);
    s.rowSeeds = get<std::vector<uint64_t>>(doc, "row_seeds", {}, where);
    s.colSeeds = get<std::vector<uint64_t>>(doc, "col_seeds", {}, where);
    if (s.rowSeeds.empty() || s.colSeeds.empty())
        throw Error("figure: 'row_seeds' and 'col_seeds' need at least one seed each");
    s.rowClasses = get<std::vector<int>>(doc, "row_classes", {}, where);
    s.colClasses = get<std::vector<int>>(doc, "col_classes", {}, where);
    if (!s.rowClasses.empty() || !s.colClasses.empty()) {
        if (s.rowClasses.size() != s.rowSeeds.size() || s.colClasses.size() != s.colSeeds.size())
            throw Error("figure: 'row_classes' and 'col_classes' need one class per row and column seed");
        for (const std::vector<int>* list : {&s.rowClasses, &s.colClasses})
            for (int c : *list)
                if (c < 0)
                    throw Error("figure: a class index is negative (" + std::to_string(c) + ")");
    }
    const std::string afterCut = get<std::string>(doc, "class_after_cut", "base", where);
    if (afterCut != "base" && afterCut != "donor")
        throw Error("figure: 'class_after_cut' must be \"base\" or \"donor\"");
    s.classFromDonor = afterCut == "donor";
    if (doc.contains("style")) {
        if (!doc["style"].is_object())
            throw Error("figure: 'style' must be an object");
        s.style = FigureStyle::fromJson(doc["style"].dump());
    }
    return s;
}

} // namespace lx
