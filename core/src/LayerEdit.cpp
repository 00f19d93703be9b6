#include "lx/LayerEdit.h"

#include "lx/Error.h"
#include "JsonValue.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace lx {
namespace {

const char* const kOpNames[] = {"set", "scale", "offset", "ablate", "copy-donor"};

} // namespace

bool LayerEdit::isIdentity() const
{
    for (const Intervention& i : interventions) {
        if (i.enabled && !i.channels.empty())
            return false;
    }
    return true;
}

std::string LayerEdit::opName(EditOp op) { return kOpNames[static_cast<int>(op)]; }

EditOp LayerEdit::opFromName(const std::string& name)
{
    for (int i = 0; i < 5; ++i) {
        if (name == kOpNames[i])
            return static_cast<EditOp>(i);
    }
    throw Error("unknown intervention '" + name + "' (known: set, scale, offset, ablate, copy-donor)");
}

void LayerEdit::validate() const
{
    for (size_t k = 0; k < interventions.size(); ++k) {
        const Intervention& i = interventions[k];
        const std::string where = "intervention " + std::to_string(k + 1) + " (" + opName(i.op) + ")";
        if (!std::isfinite(i.value))
            throw Error(where + ": value is not finite");
        if (i.hasMask() || i.maskHeight != 0 || i.maskWidth != 0) {
            if (i.maskHeight <= 0 || i.maskWidth <= 0
                || static_cast<size_t>(i.maskHeight) * static_cast<size_t>(i.maskWidth) != i.mask.size())
                throw Error(where + ": mask of " + std::to_string(i.mask.size()) + " values does not match its size "
                            + std::to_string(i.maskHeight) + "x" + std::to_string(i.maskWidth));
            for (float m : i.mask) {
                if (!(m >= 0.0f && m <= 1.0f))
                    throw Error(where + ": mask values must lie in [0, 1]");
            }
        }
    }
}

std::string LayerEdit::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const Intervention& i : interventions) {
        nlohmann::json j = {{"op", opName(i.op)}, {"channels", i.channels}, {"value", i.value}, {"enabled", i.enabled}};
        if (i.hasMask())
            j["mask"] = {{"height", i.maskHeight}, {"width", i.maskWidth}, {"values", i.mask}};
        list.push_back(std::move(j));
    }
    return nlohmann::json{{"interventions", list}}.dump();
}

LayerEdit LayerEdit::fromJson(const std::string& text)
{
    LayerEdit edit;
    try {
        const nlohmann::json doc = nlohmann::json::parse(text);
        if (!doc.is_object() || !doc.contains("interventions") || !doc["interventions"].is_array())
            throw Error("edit: expected an object with an 'interventions' list");
        for (const nlohmann::json& j : doc["interventions"]) {
            Intervention i;
            i.op = opFromName(jsonvalue::require<std::string>(j, "op", "edit"));
            i.channels = jsonvalue::require<std::vector<int>>(j, "channels", "edit");
            i.value = jsonvalue::get<double>(j, "value", 1.0, "edit");
            i.enabled = jsonvalue::get<bool>(j, "enabled", true, "edit");
            if (j.contains("mask")) {
                const nlohmann::json& m = j["mask"];
                i.maskHeight = jsonvalue::require<int>(m, "height", "edit mask");
                i.maskWidth = jsonvalue::require<int>(m, "width", "edit mask");
                i.mask = jsonvalue::require<std::vector<float>>(m, "values", "edit mask");
            }
            edit.interventions.push_back(std::move(i));
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("edit: bad JSON: ") + firstLine(e.what()));
    }
    edit.validate();
    return edit;
}

} // namespace lx
