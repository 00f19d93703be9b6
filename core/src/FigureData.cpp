#include "lx/FigureData.h"

#include "lx/AtomicFile.h"
#include "lx/Error.h"
#include "lx/Npy.h"

#include <cmath>
#include <filesystem>
#include <sstream>
#include <system_error>

namespace lx {

std::string FigureData::cellsCsv(const HybridGridResult& grid, const FigureSpec& spec)
{
    const int64_t rows = grid.rows(), cols = grid.cols();
    if (static_cast<size_t>(rows) != spec.rowSeeds.size() || static_cast<size_t>(cols) != spec.colSeeds.size())
        throw Error("figure data: the grid's size does not match the figure's seeds");
    std::ostringstream out;
    out << "row,col,row_seed,col_seed,mean_abs_change\n";
    out.precision(9);
    for (int64_t r = 0; r < rows; ++r) {
        const Array original = grid.originals.row(r);
        for (int64_t c = 0; c < cols; ++c) {
            const Array cell = grid.cell(r, c);
            double sum = 0.0;
            for (int64_t i = 0; i < cell.numel(); ++i)
                sum += std::fabs(double(cell.ptr()[i]) - double(original.ptr()[i]));
            out << r << ',' << c << ',' << spec.rowSeeds[size_t(r)] << ',' << spec.colSeeds[size_t(c)] << ','
                << (cell.numel() ? sum / double(cell.numel()) : 0.0) << '\n';
        }
    }
    return out.str();
}

std::vector<std::string> FigureData::writeHybridGrid(const std::string& folder, const HybridGridResult& grid,
                                                     const FigureSpec& spec, const std::string& provenanceJson)
{
    namespace fs = std::filesystem;
    const std::string csv = cellsCsv(grid, spec);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec || !fs::is_directory(folder))
        throw Error("cannot write " + folder + ": " + (ec ? ec.message() : std::string("not a folder")));
    const fs::path dir(folder);
    std::vector<std::string> written;
    const auto put = [&](const std::string& name, const auto& write) {
        const std::string path = (dir / name).string();
        write(path);
        written.push_back(path);
    };
    put("originals.npy", [&](const std::string& p) { Npy::write(p, grid.originals); });
    put("donors.npy", [&](const std::string& p) { Npy::write(p, grid.donors); });
    put("hybrids.npy", [&](const std::string& p) { Npy::write(p, grid.hybrids); });
    put("cells.csv", [&](const std::string& p) { AtomicFile::write(p, csv); });
    put("provenance.json", [&](const std::string& p) { AtomicFile::write(p, provenanceJson + "\n"); });
    return written;
}

} // namespace lx
