#include "lx/Card.h"

#include "lx/Array.h"
#include "lx/Error.h"

#include <nlohmann/json.hpp>

namespace lx {

namespace {

using Json = nlohmann::json;

[[noreturn]] void bad(const std::string& key, const std::string& expected, const Json& got)
{
    std::string shown = got.dump();
    if (shown.size() > 60)
        shown = shown.substr(0, 57) + "...";
    throw Error("card: '" + key + "' must be " + expected + " (got " + shown + ")");
}

std::vector<int64_t> shapeOf(const Json& card, const std::string& key)
{
    const Json& v = card.at(key);
    if (!v.is_array() || v.empty())
        bad(key, "a non-empty list of positive integers", v);
    std::vector<int64_t> shape;
    for (const Json& s : v) {
        if (!s.is_number_integer() || s.get<int64_t>() <= 0)
            bad(key, "a non-empty list of positive integers", v);
        shape.push_back(s.get<int64_t>());
    }
    return shape;
}

std::vector<std::string> stringsOf(const Json& card, const std::string& key)
{
    std::vector<std::string> out;
    if (!card.contains(key))
        return out;
    const Json& v = card.at(key);
    if (!v.is_array())
        bad(key, "a list of strings", v);
    for (const Json& s : v) {
        if (!s.is_string())
            bad(key, "a list of strings", v);
        out.push_back(s.get<std::string>());
    }
    return out;
}

std::string stringOf(const Json& card, const std::string& key)
{
    if (!card.contains(key))
        return {};
    if (!card.at(key).is_string())
        bad(key, "a string", card.at(key));
    return card.at(key).get<std::string>();
}

} // namespace

Card Card::fromJson(const std::string& text)
{
    Json card;
    try {
        card = Json::parse(text);
    } catch (const Json::parse_error& e) {
        throw Error(std::string("card: not valid JSON (") + firstLine(e.what()) + ")");
    }
    if (!card.is_object())
        throw Error("card: must be a JSON object with keys kind, latent_shape, output_range");
    for (const char* key : {"kind", "latent_shape", "output_range"}) {
        if (!card.contains(key))
            throw Error(std::string("card: missing required key '") + key + "'");
    }

    Card c;
    const Json& kind = card.at("kind");
    if (kind == "generator")
        c.kind = ModelKind::Generator;
    else if (kind == "autoencoder")
        c.kind = ModelKind::Autoencoder;
    else
        bad("kind", "\"generator\" or \"autoencoder\"", kind);

    c.latentShape = shapeOf(card, "latent_shape");

    const Json& range = card.at("output_range");
    if (!range.is_array() || range.size() != 2 || !range[0].is_number() || !range[1].is_number()
        || !(range[0].get<double>() < range[1].get<double>()))
        bad("output_range", "[low, high] with low < high", range);
    c.outputLow = range[0].get<double>();
    c.outputHigh = range[1].get<double>();

    if (card.contains("output_shape") && !card.at("output_shape").is_null())
        c.outputShape = shapeOf(card, "output_shape");
    c.name = stringOf(card, "name");
    c.description = stringOf(card, "description");
    c.classes = stringsOf(card, "classes");
    c.factors = stringsOf(card, "factors");
    return c;
}

std::string Card::toJson() const
{
    Json j;
    j["kind"] = kindName(kind);
    j["latent_shape"] = latentShape;
    j["output_range"] = {outputLow, outputHigh};
    if (!outputShape.empty())
        j["output_shape"] = outputShape;
    if (!name.empty())
        j["name"] = name;
    if (!description.empty())
        j["description"] = description;
    if (!classes.empty())
        j["classes"] = classes;
    if (!factors.empty())
        j["factors"] = factors;
    return j.dump();
}

int64_t Card::latentSize() const { return Array::product(latentShape); }

std::string Card::kindName(ModelKind kind)
{
    return kind == ModelKind::Generator ? "generator" : "autoencoder";
}

} // namespace lx
