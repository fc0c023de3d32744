// c = a + b, one work-item per element.
// Used by benches/primitives.rs (`opencl/vector_add/pocl/<len>`), which launches
// exactly `len` work-items, so no bounds check is needed.
__kernel void vector_add(__global const float *a,
                         __global const float *b,
                         __global float *c)
{
    const size_t i = get_global_id(0);
    c[i] = a[i] + b[i];
}
