// ONNX Runtime as a judge: for each case of DIR/judge.tsv (name, input shape), runs NAME.onnx
// on NAME.input.bin and writes its first output to NAME.ort.bin (raw little-endian float32).
//   NODE_PATH=.judges/node_modules node ort_run.js DIR
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

async function main(dir) {
    const rows = fs.readFileSync(path.join(dir, 'judge.tsv'), 'utf8').trim().split('\n');
    for (const row of rows) {
        const [name, shapeText] = row.split('\t');
        const shape = shapeText.split(',').map(Number);
        const bytes = fs.readFileSync(path.join(dir, name + '.input.bin'));
        const input = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
        const session = await ort.InferenceSession.create(path.join(dir, name + '.onnx'));
        const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', input, shape)};
        const results = await session.run(feeds);
        const output = results[session.outputNames[0]];
        fs.writeFileSync(path.join(dir, name + '.ort.bin'), Buffer.from(output.data.buffer));
    }
    console.log('ran', rows.length, 'models');
}

main(process.argv[2]).catch((e) => {
    console.error(e.message);
    process.exit(1);
});
