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
    // A cap on the elements per sample (512 MiB of float32) turns an absurd size into this message
    // instead of an out-of-memory when the model is first run.
    constexpr int64_t maxElements = int64_t(1) << 27;
    std::vector<int64_t> shape;
    int64_t elements = 1;
    for (const Json& s : v) {
        if (!s.is_number_integer() || s.get<int64_t>() <= 0)
            bad(key, "a non-empty list of positive integers", v);
        shape.push_back(s.get<int64_t>());
        if (shape.back() > maxElements / elements)
            throw Error("card: '" + key + "' " + v.dump() + " is too large (at most " + std::to_string(maxElements)
                        + " values per sample)");
        elements *= shape.back();
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

// kind "cgn": classes and output_shape [3, H, W] are required; mask_clamp, shuffle and noise optional.
void cgnKeys(const Json& card, Card& c)
{
    for (const char* key : {"output_shape", "classes"}) {
        if (!card.contains(key) || card.at(key).is_null())
            throw Error(std::string("card: missing required key '") + key + "' (kind cgn)");
    }
    if (c.latentShape.size() != 1)
        bad("latent_shape", "[L] for kind cgn (flat noise per mechanism)", card.at("latent_shape"));
    if (c.outputShape.size() != 3 || c.outputShape[0] != 3)
        bad("output_shape", "[3, H, W] for kind cgn (RGB images)", card.at("output_shape"));
    if (c.classes.empty())
        bad("classes", "a non-empty list of class names", card.at("classes"));
    if (card.contains("mask_clamp")) {
        const Json& v = card.at("mask_clamp");
        if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
            bad("mask_clamp", "[low, high] with 0 <= low < high <= 1", v);
        c.maskLow = v[0].get<double>();
        c.maskHigh = v[1].get<double>();
        if (!(0.0 <= c.maskLow && c.maskLow < c.maskHigh && c.maskHigh <= 1.0))
            bad("mask_clamp", "[low, high] with 0 <= low < high <= 1", v);
    }
    const std::string shuffle = card.contains("shuffle") ? stringOf(card, "shuffle") : "none";
    if (shuffle == "tile2x2")
        c.shuffle = CgnShuffle::Tile2x2;
    else if (shuffle == "none")
        c.shuffle = CgnShuffle::None;
    else
        bad("shuffle", "\"tile2x2\" or \"none\"", card.at("shuffle"));
    const std::string noise = card.contains("noise") ? stringOf(card, "noise") : "per_mechanism";
    if (noise == "per_mechanism")
        c.noise = CgnNoise::PerMechanism;
    else if (noise == "shared")
        c.noise = CgnNoise::Shared;
    else
        bad("noise", "\"per_mechanism\" or \"shared\"", card.at("noise"));
}

// kind "vqvae": input_shape, output_range, grid_shape, codebook_size; optional actions and factors.
Card vqCard(const Json& card)
{
    for (const char* key : {"input_shape", "output_range", "grid_shape", "codebook_size"}) {
        if (!card.contains(key) || card.at(key).is_null())
            throw Error(std::string("card: missing required key '") + key + "' (kind vqvae)");
    }
    Card c;
    c.kind = ModelKind::VqVae;
    c.inputShape = shapeOf(card, "input_shape");
    if (c.inputShape.size() != 3)
        bad("input_shape", "[C, H, W] for kind vqvae", card.at("input_shape"));
    std::tie(c.outputLow, c.outputHigh) = rangeOf(card, "output_range");
    c.outputShape = c.inputShape;
    c.gridShape = shapeOf(card, "grid_shape");
    if (c.gridShape.size() != 3)
        bad("grid_shape", "[B, h, w] (code maps, rows, columns) for kind vqvae", card.at("grid_shape"));
    const Json& k = card.at("codebook_size");
    // Indices cross core's boundary as float32 values, exact below 2^24.
    if (!k.is_number_integer() || k.get<int64_t>() < 1 || k.get<int64_t>() > (int64_t(1) << 24))
        bad("codebook_size", "a positive integer K (at most 2^24)", k);
    c.codebookSize = k.get<int64_t>();
    c.factors = stringsOf(card, "factors");
    if (card.contains("actions")) {
        c.actions = stringsOf(card, "actions");
        if (c.actions.empty())
            bad("actions", "a non-empty list of action names (leave it out for a model without a transition)",
                card.at("actions"));
        for (size_t i = 0; i < c.actions.size(); ++i) {
            if (c.actions[i].empty())
                bad("actions", "a list of non-empty action names", card.at("actions"));
            for (size_t j = 0; j < i; ++j) {
                if (c.actions[j] == c.actions[i])
                    bad("actions", "a list of distinct action names ('" + c.actions[i] + "' twice)",
                        card.at("actions"));
            }
        }
        if (!c.factors.empty() && c.actions.size() != 2 * c.factors.size())
            bad("actions",
                "2F = " + std::to_string(2 * c.factors.size()) + " names for the " + std::to_string(c.factors.size())
                    + " factors (one + and one - per factor), not " + std::to_string(c.actions.size()),
                card.at("actions"));
    }
    c.classes = stringsOf(card, "classes");
    c.name = stringOf(card, "name");
    c.description = stringOf(card, "description");
    c.dataset = stringOf(card, "dataset");
    return c;
}

// class_input {"encoding": "index" | "onehot", "classes": [names]}.
void classInputKeys(const Json& input, Card& c)
{
    const std::string expected = "{\"encoding\": \"index\" or \"onehot\", \"classes\": [names]}";
    if (!input.is_object() || !input.contains("encoding") || !input.contains("classes"))
        bad("class_input", expected, input);
    const Json& encoding = input.at("encoding");
    if (encoding == "index")
        c.classEncoding = ClassEncoding::Index;
    else if (encoding == "onehot")
        c.classEncoding = ClassEncoding::OneHot;
    else
        bad("class_input.encoding", "\"index\" or \"onehot\"", encoding);
    c.inputClasses = stringsOf(input, "classes");
    if (c.inputClasses.empty())
        bad("class_input.classes", "a non-empty list of class names", input.at("classes"));
}

} // namespace

Card Card::fromJson(const std::string& text)
{
    Json card;
    try {
        card = Json::parse(text);
    } catch (const Json::exception& e) {
        // parse_error, and out_of_range for a number too large for a double (found by fuzz_card: 10e308).
        throw Error(std::string("card: not valid JSON (") + firstLine(e.what()) + ")");
    }
    if (!card.is_object())
        throw Error("card: must be a JSON object with keys kind, latent_shape, output_range");
    if (card.contains("kind") && card.at("kind") == "classifier")
        return classifierCard(card);
    if (card.contains("kind") && card.at("kind") == "vqvae")
        return vqCard(card);
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
    else if (kind == "cgn")
        c.kind = ModelKind::Cgn;
    else
        bad("kind", "\"generator\", \"autoencoder\", \"classifier\", \"cgn\" or \"vqvae\"", kind);

    c.latentShape = shapeOf(card, "latent_shape");

    std::tie(c.outputLow, c.outputHigh) = rangeOf(card, "output_range");

    if (card.contains("output_shape") && !card.at("output_shape").is_null())
        c.outputShape = shapeOf(card, "output_shape");
    c.name = stringOf(card, "name");
    c.description = stringOf(card, "description");
    c.classes = stringsOf(card, "classes");
    c.factors = stringsOf(card, "factors");
    c.dataset = stringOf(card, "dataset");
    if (c.kind == ModelKind::Cgn)
        cgnKeys(card, c);
    else if (card.contains("class_input") && !card.at("class_input").is_null())
        classInputKeys(card.at("class_input"), c);
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
    if (conditional())
        j["class_input"] = {{"encoding", classEncoding == ClassEncoding::Index ? "index" : "onehot"},
                            {"classes", inputClasses}};
    if (kind == ModelKind::Classifier) {
        j.erase("latent_shape");
        j.erase("output_range");
        j["input_shape"] = inputShape;
        j["input_range"] = {inputLow, inputHigh};
    }
    if (kind == ModelKind::Cgn) {
        j["mask_clamp"] = {maskLow, maskHigh};
        j["shuffle"] = shuffle == CgnShuffle::Tile2x2 ? "tile2x2" : "none";
        j["noise"] = noise == CgnNoise::Shared ? "shared" : "per_mechanism";
    }
    if (kind == ModelKind::VqVae) {
        j.erase("latent_shape");
        j.erase("output_shape");
        j["input_shape"] = inputShape;
        j["grid_shape"] = gridShape;
        j["codebook_size"] = codebookSize;
        if (!actions.empty())
            j["actions"] = actions;
    }
    return j.dump();
}

int64_t Card::latentSize() const { return Array::product(latentShape); }

std::string Card::kindName(ModelKind kind)
{
    if (kind == ModelKind::Classifier)
        return "classifier";
    if (kind == ModelKind::Cgn)
        return "cgn";
    if (kind == ModelKind::VqVae)
        return "vqvae";
    return kind == ModelKind::Generator ? "generator" : "autoencoder";
}

} // namespace lx
