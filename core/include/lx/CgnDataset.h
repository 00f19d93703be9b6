#pragma once
// lx::CgnDataset: a counterfactual dataset from a CGN (Sauer & Geiger 2021, mnists/generate_data.py):
// N images, made `counterfactuals` at a time per mask. Image i belongs to mask i / counterfactuals, whose
// shape mechanism (class and noise seed) all its images share; texture and background each get their
// own independently drawn class (uniform over the card's classes) and noise seed. Every draw is a pure
// function of (seed, counterfactuals, class count, i) through SplitMix64, so the labels of image i never
// depend on which images were made before it.
//
// Folder layout:
//   FOLDER/dataset.json       parameters (model, its SHA-256, count, counterfactuals, seed, classes, ...)
//   FOLDER/labels.csv         index,file,shape_class,texture_class,background_class,shape_seed,
//                             texture_seed,background_seed (one row per image on disk, in index order)
//   FOLDER/images/NNNNNN.png  8-bit RGB, output_range mapped to 0..255 (ImageGrid::toByte)
// Every file is written atomically. A restart with the same parameters skips the images already on disk
// (an interrupted export resumes); a folder holding a dataset with other parameters is refused.
#include "lx/CgnModel.h"
#include "lx/Progress.h"

#include <cstdint>
#include <string>

namespace lx {

struct CgnDatasetOptions {
    std::string folder;
    int64_t count = 0; // N images
    int64_t counterfactuals = 10; // (texture, background) draws per mask (the paper's no_cfs)
    uint64_t seed = 0;
    int64_t batch = 256; // images rendered per CgnModel::render call
    std::string toolVersion; // recorded in dataset.json
    // Only images [begin, end) (end -1 = count): one shard of a cluster job. labels.csv is written only
    // by a range that starts at 0 (it lists images 0.. in order); the whole range writes all of it.
    int64_t begin = 0;
    int64_t end = -1;
};

struct CgnDatasetResult {
    int64_t written = 0; // images rendered and written by this run
    int64_t skipped = 0; // images already on disk
    double seconds = 0.0; // wall time of this run
    double imagesPerSecond = 0.0; // written / seconds
};

class CgnDataset {
public:
    // The mechanism inputs of image `index` (pure classes, mix 0; seeds in [0, 2^31)).
    static CgnRequest request(uint64_t seed, int64_t counterfactuals, int classCount, int64_t index);
    // "images/000042.png": the image's path relative to the folder (at least 6 digits, more when
    // count > 10^6).
    static std::string imageName(int64_t index, int64_t count);
    // Writes (or completes) the dataset. Progress counts images done (written or skipped) of the range.
    // Throws lx::Error with a one-line message (bad options, a folder that cannot be created or written,
    // a folder holding another dataset) and lx::Cancelled when cancelled; labels.csv then covers the
    // images written so far.
    static CgnDatasetResult write(CgnModel& model, const CgnDatasetOptions& options, const ProgressFn& progress = {},
                                  const CancelToken* cancel = nullptr);
};

} // namespace lx
