import subprocess, hashlib, re
G = '/work/.mirror/LawRefBook+Laws/repo'
SRC = {
 'sd-rcfz': 'DLC/山东地方法规/地方性法规/山东/山东省人才发展促进条例(2020-03-26).md',
 'zj-kjjb': 'DLC/浙江地方法规/地方性法规/浙江/浙江省科学技术进步条例(2011-05-25).md',
}
for id_, p in SRC.items():
    md = subprocess.run(['git', '--git-dir=' + G, 'show', 'HEAD:' + p], capture_output=True, check=True).stdout.decode('utf-8')
    out = []
    for line in md.split('\n'):
        if line.strip() == '<!-- INFO END -->':
            continue
        line = re.sub(r'^#+\s*', '', line)
        out.append(line)
    txt = '\n'.join(out).strip('\n') + '\n'
    open('/work/blind_m/documents/%s.txt' % id_, 'w', encoding='utf-8').write(txt)
    print(id_, len(txt), hashlib.sha256(txt.encode('utf-8')).hexdigest())
