#include "npy.h"

#include "core/atomicwrite.h"

namespace nc::engine {

std::string npyBytes(const Tensor& tensor) {
    std::string shape = "(";
    for (std::int64_t d : tensor.dims())
        shape += std::to_string(d) + ", ";
    if (tensor.rank() > 1)
        shape.erase(shape.size() - 2);
    else if (tensor.rank() == 1)
        shape.erase(shape.size() - 1);
    shape += ")";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    // Magic (6) + version (2) + length (2) + header + padding + '\n' is a multiple of 64.
    const std::size_t total = ((10 + header.size() + 1 + 63) / 64) * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += char(1);
    out += char(0);
    out += char(header.size() & 0xff);
    out += char(header.size() >> 8);
    out += header;
    out.append(reinterpret_cast<const char*>(tensor.data()),
               std::size_t(tensor.size()) * sizeof(float));
    return out;
}

nc::core::Status writeNpy(const std::string& path, const Tensor& tensor) {
    return nc::core::writeFileAtomically(path, npyBytes(tensor));
}

} // namespace nc::engine
