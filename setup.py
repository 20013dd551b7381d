"""Install hmrzoo.  Use the README's set-up command, which passes the
constraints file so the tested torch is kept."""
from setuptools import find_packages, setup


def _version():
    scope = {}
    with open('hmrzoo/version.py') as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='hmrzoo',
    version=_version(),
    description='A plugin-based model zoo for human mesh recovery on mmengine',
    long_description=open('README.md').read(),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.9',
    packages=find_packages(exclude=('tests', 'tests.*', 'configs', 'tools')),
    install_requires=[
        'torch>=2.1', 'torchvision', 'mmengine>=0.10.4,<0.11', 'mmcv-lite',
        'smplx>=0.1.28', 'anny>=0.6.2', 'timm', 'numpy', 'scipy',
        'opencv-python-headless', 'trimesh', 'tqdm',
    ],
    extras_require={
        # readers of official dataset layouts (MATLAB v7.3 / HDF5 and the
        # Human3.6M CDF pose files); the tests fabricate such files.
        'datasets': ['h5py', 'cdflib'],
        'tests': ['pytest', 'h5py', 'cdflib', 'onnx', 'onnxruntime'],
        # tools/export_onnx.py and its onnxruntime check
        'onnx': ['onnx', 'onnxruntime'],
        # The offline 2D keypoint detector (hmrzoo.apis.keypoint_detectors;
        # its models are bundled in the wheel).  tools/install.sh always
        # installs it itself, with --no-deps from constraints.txt: mediapipe
        # declares opencv-contrib-python (a second cv2 over
        # opencv-python-headless) and jax, which its pose solution does not
        # use.  Installing this extra through pip's resolver pulls them.
        'detector': ['mediapipe==0.10.14'],
        # optional renderer backend; no wheel exists for the pinned torch.
        'pytorch3d': ['pytorch3d'],
        # optional 2D keypoint provider; needs a full mmcv build.
        'mmpose': ['mmpose>=1.3'],
    },
    entry_points={
        # hmrzoo's own modules are listed here too so the mechanism that
        # third-party plugins use is exercised by every run.
        'hmrzoo.plugins': [],
    },
    zip_safe=False,
)
