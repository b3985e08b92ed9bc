#pragma once
// metrics.csv of a run folder: a header, then one row per completed epoch, in epoch order:
//   epoch,train_loss,train_accuracy,val_loss,val_accuracy,epoch_s,images_per_s,lr
// Empty cells where a value does not apply (no validation set, not a classifier). The rows
// must match the checkpoint: the run recorder commits a row only after the checkpoint of its
// epoch is saved, and cuts the rows back to the checkpoint's epoch when a run resumes.
//
//   RunMetrics m = RunMetrics::parse(oldCsv, /*throughEpoch=*/checkpointEpoch);
//   m.set(report.epoch, RunMetrics::row(report));
//   Status s = m.save(folder.metricsPath());

#include "engine/trainer.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nc::engine {

class RunMetrics {
public:
    static constexpr std::string_view kHeader =
        "epoch,train_loss,train_accuracy,val_loss,val_accuracy,epoch_s,images_per_s,lr";

    // The rows of an earlier metrics.csv for epochs 1..`throughEpoch`; rows of later epochs,
    // repeated epochs and lines that are not rows (isRow) are left out.
    static RunMetrics parse(std::string_view csv, int throughEpoch);
    // The highest epoch that has a row in `csv` (0: none), in one pass that keeps nothing.
    static int lastEpoch(std::string_view csv);
    // An epoch's row, without the line end.
    static std::string row(const EpochReport& report);
    // Whether `text` is a row as row() writes it for `epoch`: the epoch, then seven cells that
    // are numbers or empty. A row read back from a checkpoint's metadata is used only when it
    // is, so that no text of a file's choosing reaches metrics.csv.
    static bool isRow(std::string_view text, int epoch);

    // Sets the row of `epoch` (replacing one it had), keeping the rows in epoch order.
    void set(int epoch, std::string row);
    bool has(int epoch) const;
    int rows() const { return int(m_rows.size()); }
    std::string csv() const;
    // The rows as reports (epochs, epochs total 0); an empty or unreadable cell is NaN.
    std::vector<EpochReport> reports() const;
    // Writes csv() to `path` atomically.
    nc::core::Status save(const std::string& path) const;

private:
    std::vector<std::pair<int, std::string>> m_rows; // ascending epochs
};

} // namespace nc::engine
