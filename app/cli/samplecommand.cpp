#include "samplecommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"

#include "core/atomicwrite.h"
#include "engine/backendlist.h"
#include "engine/probe/textsampler.h"

#include <filesystem>
#include <iostream>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli sample RUN_DIR [--prime TEXT] [--length N] [--temperature T]\n"
    "                            [--seed S] [--device D]\n"
    "       netcanvas-cli sample GRAPH --weights FILE --vocabulary FILE [options]\n"
    "\n"
    "Writes text from a trained character-level model (a per-step classifier over the\n"
    "characters of a text: data spec text:FILE or synthetic:text, as in char_lstm.json).\n"
    "A run folder has the graph, its checkpoint and the vocabulary.json of the text.\n"
    "\n"
    "  --prime TEXT       the text to continue (default: a random first character)\n"
    "  --length N         characters to add (default 200)\n"
    "  --temperature T    below 1 plays safe, above 1 takes risks; 0 takes the likeliest\n"
    "                     character every time (default 0.8)\n"
    "  --seed S           of the random draws (default 1)\n"
    "  --weights FILE     a checkpoint (default: RUN_DIR/checkpoint.safetensors)\n"
    "  --vocabulary FILE  the characters (default: RUN_DIR/vocabulary.json)\n"
    "  --device D         cpu (default), cuda or cuda:N\n"
    "\n"
    "Exit status: 0 success, 1 invalid graph, weights or vocabulary, 2 usage or I/O error.\n";

constexpr std::size_t kMaxVocabularyBytes = std::size_t(16) << 20;

} // namespace

int runSample(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done = parseCommandLine(
            "sample", args,
            {"prime", "length", "temperature", "seed", "weights", "vocabulary", "device"}, {},
            kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 1) {
        printError("sample",
                   "needs RUN_DIR, or GRAPH with --weights and --vocabulary (see --help)");
        return kExitUsage;
    }
    const std::string source = o.positionals()[0];
    const bool runFolder = std::filesystem::is_directory(source);
    if (!runFolder && (!o.has("weights") || !o.has("vocabulary"))) {
        printError("sample", source + " is not a run folder, so --weights and --vocabulary are "
                                      "needed");
        return kExitUsage;
    }
    const Result<long long> length = o.integer("length", 200, 0, 1'000'000);
    const Result<double> temperature = o.number("temperature", 0.8, 0.0, 100.0);
    const Result<long long> seed = o.integer("seed", 1, 0, std::numeric_limits<long long>::max());
    for (const Status& s : {length.status(), temperature.status(), seed.status()})
        if (!s) {
            printError("sample", s.message());
            return kExitUsage;
        }
    const std::string graphPath = runFolder ? source + "/graph.json" : source;
    const std::string weightsPath = o.text("weights", source + "/checkpoint.safetensors");
    const std::string vocabularyPath = o.text("vocabulary", source + "/vocabulary.json");

    ModelSetup setup = compileGraphFile("sample", graphPath);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    Result<std::string> vocabularyText =
        nc::core::readWholeFile(vocabularyPath, kMaxVocabularyBytes);
    if (!vocabularyText)
        return reportFailure("sample", vocabularyText.status());
    Result<nc::engine::Vocabulary> vocabulary =
        nc::engine::Vocabulary::parseJson(vocabularyText.value(), vocabularyPath);
    if (!vocabulary)
        return reportFailure("sample", vocabulary.status());
    if (Status s = nc::engine::checkTextModel(model, vocabulary.value()); !s) {
        printError("sample", graphPath + ": " + s.message());
        return kExitInvalid;
    }
    if (int code = applyWeightsFile("sample", weightsPath, model); code != kExitOk)
        return code;
    auto backend = nc::engine::createBackend(o.text("device", "cpu"));
    if (!backend) {
        printError("sample", backend.message());
        return kExitUsage;
    }
    nc::engine::SampleRequest request;
    request.prime = o.text("prime");
    request.length = length.value();
    request.temperature = temperature.value();
    request.seed = std::uint64_t(seed.value());
    Result<std::string> text =
        nc::engine::sampleText(model, *backend.value(), vocabulary.value(), request);
    if (!text) {
        printError("sample", text.message());
        return kExitInvalid;
    }
    std::cout << text.value() << '\n';
    return kExitOk;
}

} // namespace nc::cli
