#include "lx/Card.h"

#include "lx/Array.h"
#include "lx/Error.h"

#include <nlohmann/json.hpp>

#include <tuple>
#include <utility>

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

// A [low, high] pair with low < high (output_range, input_range).
std::pair<double, double> rangeOf(const Json& card, const std::string& key)
{
    const Json& range = card.at(key);
    if (!range.is_array() || range.size() != 2 || !range[0].is_number() || !range[1].is_number()
        || !(range[0].get<double>() < range[1].get<double>()))
        bad(key, "[low, high] with low < high", range);
    return {range[0].get<double>(), range[1].get<double>()};
}

std::string stringOf(const Json& card, const std::string& key)
{
    if (!card.contains(key))
        return {};
    if (!card.at(key).is_string())
        bad(key, "a string", card.at(key));
    return card.at(key).get<std::string>();
}

// kind "classifier": input_shape, input_range and classes instead of latent_shape and output_range.
Card classifierCard(const Json& card)
{
    for (const char* key : {"input_shape", "input_range", "classes"}) {
        if (!card.contains(key))
            throw Error(std::string("card: missing required key '") + key + "' (kind classifier)");
    }
    Card c;
    c.kind = ModelKind::Classifier;
    c.inputShape = shapeOf(card, "input_shape");
    std::tie(c.inputLow, c.inputHigh) = rangeOf(card, "input_range");
    c.classes = stringsOf(card, "classes");
    if (c.classes.empty())
        bad("classes", "a non-empty list of class names", card.at("classes"));
    c.name = stringOf(card, "name");
    c.description = stringOf(card, "description");
    c.dataset = stringOf(card, "dataset");
    return c;
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
    if (card.contains("kind") && card.at("kind") == "classifier")
        return classifierCard(card);
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
        bad("kind", "\"generator\", \"autoencoder\" or \"classifier\"", kind);

    c.latentShape = shapeOf(card, "latent_shape");

    std::tie(c.outputLow, c.outputHigh) = rangeOf(card, "output_range");

    if (card.contains("output_shape") && !card.at("output_shape").is_null())
        c.outputShape = shapeOf(card, "output_shape");
    c.name = stringOf(card, "name");
    c.description = stringOf(card, "description");
    c.classes = stringsOf(card, "classes");
    c.factors = stringsOf(card, "factors");
    c.dataset = stringOf(card, "dataset");
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
    if (!dataset.empty())
        j["dataset"] = dataset;
    if (kind == ModelKind::Classifier) {
        j.erase("latent_shape");
        j.erase("output_range");
        j["input_shape"] = inputShape;
        j["input_range"] = {inputLow, inputHigh};
    }
    return j.dump();
}

int64_t Card::latentSize() const { return Array::product(latentShape); }

std::string Card::kindName(ModelKind kind)
{
    if (kind == ModelKind::Classifier)
        return "classifier";
    return kind == ModelKind::Generator ? "generator" : "autoencoder";
}

} // namespace lx
